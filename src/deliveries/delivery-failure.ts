import { Failure, FailureClass } from '../work/retry-policy';

const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
const DELAY_SECONDS = /^\d+$/;
/** The three HTTP-date forms of RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/**
 * What a failed delivery attempt means for DELIVERY_RETRY_SCHEDULE: an attempt that could not be sent
 * (`unsendable`: the body is too large or cannot be rendered) is permanent, a 410 is gone, a 429 or 503
 * with a readable Retry-After is retried after it, anything else is retried on the schedule.
 */
export function deliveryFailure(
  result: { httpStatus: number | null; retryAfter?: string },
  unsendable = false,
  now: Date = new Date(),
): FailureClass {
  if (unsendable) return Failure.permanent;
  if (result.httpStatus === 410) return Failure.gone;
  if (result.httpStatus === 429 || result.httpStatus === 503) {
    return Failure.retryAfter(parseRetryAfter(result.retryAfter, now));
  }
  return Failure.retry;
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
