import type { Logger } from '@nestjs/common';
import { storableText } from '../common/storable';

/**
 * Delays before the second, third and fourth try of a release whose first try failed. Their sum
 * (7 s) stays well below the shortest lease (30 s, inbound runs), so a late try can only meet the
 * claim it was meant to give back, never a newer one.
 */
export const RELEASE_RETRY_DELAYS_MS = [1_000, 2_000, 4_000];

/**
 * Gives a claimed row back after an unexpected error (the database went away mid-run), so it is due
 * again in seconds rather than when its lease runs out. The first try is awaited; when it fails
 * (the database is still gone) the next tries run in the background after `delays`, and only when
 * the last one fails too is the row left to its lease, which takes it back anyway.
 */
export async function releaseClaim(
  release: () => Promise<unknown>,
  what: string,
  logger: Pick<Logger, 'warn'>,
  delays: readonly number[] = RELEASE_RETRY_DELAYS_MS,
): Promise<void> {
  const attempt = async (next: number): Promise<void> => {
    try {
      await release();
    } catch (error) {
      if (next >= delays.length) {
        logger.warn(`${what} stays claimed until its lease ends: ${(error as Error).message}`);
        return;
      }
      setTimeout(() => void attempt(next + 1), delays[next]).unref();
    }
  };
  await attempt(0);
}

/**
 * Give-backs in a row without an attempt or a run recorded in between: a claimed row given back
 * after an unexpected error (see {@link giveBack}), or taken back by a claim after its lease ran out
 * (its process died or hung). The give-back that reaches this number ends the work instead — a
 * `dead` delivery, a `failed` inbound event, with the error — so work that can never finish is not
 * taken up again for ever. A recorded attempt or run sets the count back to 0.
 */
export const MAX_RELEASES = 5;

/** Why a row was taken back by a claim (the `last` of {@link exhaustedReason}). */
export const LEASE_RAN_OUT = 'its lease ran out (the process running it stopped or hung)';

/** True when a row given back `releases` times in a row must end rather than run again. */
export function releasesExhausted(releases: number): boolean {
  return releases >= MAX_RELEASES;
}

/** The error a row ends with when its give-backs are exhausted; `last` says why it was given back the last time. */
export function exhaustedReason(releases: number, last: string): string {
  return `given back ${releases} times in a row without finishing; last: ${last}`;
}

/**
 * For a row a claim has just taken: the error it ends with when that claim took it back once too
 * often in a row (its `release_count` as claimed reached MAX_RELEASES), or null while it may run.
 * `last` says why it was taken back (LEASE_RAN_OUT unless the feature words it for its own work).
 */
export function takenBackTooOften(releases: number, last: string = LEASE_RAN_OUT): string | null {
  return releasesExhausted(releases) ? exhaustedReason(releases, last) : null;
}

export interface GiveBack {
  /** What is given back, for the logs: `delivery dlv_…`. */
  what: string;
  /** Give-backs in a row before this one (the row's `release_count` as claimed). */
  releasesBefore: number;
  /** The unexpected error that interrupted the work. */
  error: unknown;
  /** Gives the claimed row back, due again shortly, with `release_count = releases`. */
  release(releases: number): Promise<unknown>;
  /** Ends the claimed row (terminal) with the error `reason`, with `release_count = releases`. */
  end(releases: number, reason: string): Promise<unknown>;
}

/**
 * After an unexpected error (a lost database, a transient failure, a bug), gives a claimed row back,
 * or ends it when this is its {@link MAX_RELEASES}-th give-back in a row; logs the error either way.
 * The write is tried as {@link releaseClaim} tries it. Answers true when the row was ended.
 */
export async function giveBack(
  g: GiveBack,
  logger: Pick<Logger, 'warn' | 'error'>,
  delays: readonly number[] = RELEASE_RETRY_DELAYS_MS,
): Promise<boolean> {
  const releases = g.releasesBefore + 1;
  const message = storableText(g.error instanceof Error ? g.error.message : String(g.error));
  if (releasesExhausted(releases)) {
    const reason = exhaustedReason(releases, message);
    logger.error(`${g.what} ended: ${reason}`);
    await releaseClaim(() => g.end(releases, reason), g.what, logger, delays);
    return true;
  }
  logger.error(`${g.what} given back after an unexpected error (${releases} of ${MAX_RELEASES} in a row): ${message}`);
  await releaseClaim(() => g.release(releases), g.what, logger, delays);
  return false;
}
