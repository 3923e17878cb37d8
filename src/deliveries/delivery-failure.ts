const DEFAULT_JITTER = 0.1;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
const DELAY_SECONDS = /^\d+$/;
/** The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

export interface RetryOptions {
  /** Fraction of the scheduled delay to spread by, both ways; default 0.1 (±10 %). */
  jitter?: number;
  /** Source of randomness in [0, 1); default Math.random. */
  random?: () => number;
  /** The failed answer's Retry-After, in milliseconds (see parseRetryAfter). */
  retryAfterMs?: number;
}

/**
 * Delay before the next attempt after `attemptsMade` attempts failed (1-based: after the first failure use schedule[0]);
 * null when the schedule is exhausted (the delivery is dead). ±jitter applied; a Retry-After later than the scheduled
 * delay wins (no jitter on it).
 */
export function nextRetryDelay(schedule: number[], attemptsMade: number, options: RetryOptions = {}): number | null {
  if (!Number.isSafeInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a whole number from 1 (got ${attemptsMade})`);
  }
  if (attemptsMade > schedule.length) return null;
  const delay = withJitter(schedule[attemptsMade - 1], options.jitter ?? DEFAULT_JITTER, options.random ?? Math.random);
  const retryAfter = options.retryAfterMs;
  return retryAfter !== undefined && retryAfter > delay ? Math.round(retryAfter) : delay;
}

/** `delay` moved by up to ±`jitter` of itself: random 0 → −jitter, 0.5 → exact, 1 → +jitter. */
function withJitter(delay: number, jitter: number, random: () => number): number {
  const spread = Math.min(Math.max(jitter, 0), 1);
  const position = Math.min(Math.max(random(), 0), 1);
  return Math.max(0, Math.round(delay * (1 + spread * (2 * position - 1))));
}

/**
 * Parses a Retry-After header (delta seconds or HTTP date) into milliseconds from `now`; undefined when
 * absent/invalid/negative; capped at 24h.
 */
export function parseRetryAfter(header: string | undefined, now: Date = new Date()): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const ms = DELAY_SECONDS.test(value) ? Number(value) * 1000 : httpDateMs(value) - now.getTime();
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

/** Epoch milliseconds of an HTTP date (always GMT); NaN when `value` is not one. */
function httpDateMs(value: string): number {
  if (IMF_FIXDATE.test(value) || RFC_850.test(value)) return Date.parse(value);
  if (ASCTIME.test(value)) return Date.parse(`${value} GMT`);
  return Number.NaN;
}
