import type { Logger } from '@nestjs/common';

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
