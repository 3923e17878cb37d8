import type { AppConfig } from '../config/env';

/**
 * What a failed attempt means for the next one:
 * - `retry`: another attempt may succeed; it waits the schedule's next delay;
 * - `retry-after`: the same, and the other side said how long to wait (`hintMs`, e.g. Retry-After);
 * - `permanent`: no other attempt can succeed (a refused message, a body that cannot be sent);
 * - `gone`: the other side is gone for good (410 Gone): give up, and stop sending to it.
 */
export type FailureClass =
  | { readonly kind: 'retry' }
  | { readonly kind: 'retry-after'; readonly hintMs: number }
  | { readonly kind: 'permanent' }
  | { readonly kind: 'gone' };

export const Failure = {
  retry: { kind: 'retry' } as FailureClass,
  permanent: { kind: 'permanent' } as FailureClass,
  gone: { kind: 'gone' } as FailureClass,
  /** Retry after the other side's hint; a plain retry when it gave none. */
  retryAfter: (hintMs: number | undefined): FailureClass =>
    hintMs === undefined ? Failure.retry : { kind: 'retry-after', hintMs },
} as const;

/** How one kind of work (deliveries, inbound runs, notifications) is retried. */
export interface RetryPolicy {
  /** Delays between attempts: the n-th retry (after the n-th failed attempt) waits `schedule[n - 1]`. */
  readonly schedule: readonly number[];
  /** Fraction of a scheduled delay to spread it by at random, both ways (0.1: ±10 %); 0: exact delays. */
  readonly jitter: number;
  /** Past the end of the schedule: `ends` gives up, `repeats` waits the last delay again. */
  readonly lastDelay: 'ends' | 'repeats';
  /**
   * Where the limit of attempts comes from: `schedule` (one more than its delays) or `per-item` (each
   * item's own limit, given to {@link nextStep}); the schedule's end still limits it when `lastDelay` is `ends`.
   */
  readonly maxAttempts: 'schedule' | 'per-item';
  /** A hint of the other side (`retry-after`): `later` waits it when it is later than the scheduled delay, `instead` waits it whatever the schedule says. */
  readonly hint: 'later' | 'instead';
  /** The state work ends in when it is given up: `dead` (deliveries) or `failed`. */
  readonly gaveUp: 'dead' | 'failed';
}

/** What follows a failed attempt: another one after `delayMs` (due `at`), or nothing more, `because` … */
export type NextStep =
  | { readonly action: 'retry'; readonly delayMs: number; readonly at: Date }
  | {
      readonly action: 'give-up';
      readonly status: RetryPolicy['gaveUp'];
      readonly because: 'exhausted' | 'permanent' | 'gone';
    };

export interface FailedAttempt {
  /** The attempt that failed, 1-based (attempts made so far, this one included). */
  attempt: number;
  failure: FailureClass;
  /** The item's own limit of attempts; required by a `per-item` policy, ignored otherwise. */
  maxAttempts?: number;
}

export interface StepOptions {
  /** Source of randomness in [0, 1) for the jitter; default Math.random. */
  random?: () => number;
  /** The clock, epoch milliseconds; default Date.now(). */
  now?: number;
}

/**
 * Decides what follows a failed attempt under `policy`. A hint never adds attempts: after the last
 * one, work is given up whatever the other side said.
 */
export function nextStep(policy: RetryPolicy, failed: FailedAttempt, options: StepOptions = {}): NextStep {
  const { attempt, failure } = failed;
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1 (got ${attempt})`);
  }
  if (failure.kind === 'permanent' || failure.kind === 'gone') {
    return { action: 'give-up', status: policy.gaveUp, because: failure.kind };
  }
  if (attempt >= attemptLimit(policy, failed.maxAttempts) || policy.schedule.length === 0) {
    return { action: 'give-up', status: policy.gaveUp, because: 'exhausted' };
  }
  const scheduled = policy.schedule[Math.min(attempt, policy.schedule.length) - 1];
  const delay = withJitter(scheduled, policy.jitter, options.random ?? Math.random);
  const delayMs = failure.kind === 'retry-after' ? withHint(delay, failure.hintMs, policy.hint) : delay;
  return { action: 'retry', delayMs, at: new Date((options.now ?? Date.now()) + delayMs) };
}

/** The most attempts an item gets under `policy`. */
function attemptLimit(policy: RetryPolicy, perItem: number | undefined): number {
  const bySchedule = policy.schedule.length + 1;
  if (policy.maxAttempts === 'schedule') return bySchedule;
  if (perItem === undefined || !Number.isSafeInteger(perItem) || perItem < 1) {
    throw new RangeError(`a per-item policy needs maxAttempts, a whole number from 1 (got ${perItem})`);
  }
  return policy.lastDelay === 'ends' ? Math.min(perItem, bySchedule) : perItem;
}

/** `delay` moved by up to ±`jitter` of itself: random 0 → −jitter, 0.5 → exact, 1 → +jitter. */
function withJitter(delay: number, jitter: number, random: () => number): number {
  const spread = Math.min(Math.max(jitter, 0), 1);
  const position = Math.min(Math.max(random(), 0), 1);
  return Math.max(0, Math.round(delay * (1 + spread * (2 * position - 1))));
}

/** The delay once the other side's hint is heard (never jittered: it said when). */
function withHint(delay: number, hintMs: number, hint: RetryPolicy['hint']): number {
  const hinted = Math.max(0, Math.round(hintMs));
  return hint === 'instead' || hinted > delay ? hinted : delay;
}

/** The kinds of work Hookhub retries. */
export type RetriedWork = 'deliveries' | 'inbound' | 'notifications';

type RetrySchedules = Pick<AppConfig, 'deliveryRetrySchedule' | 'inboundRetrySchedule' | 'notificationRetrySchedule'>;

/**
 * The retry policy of each kind of work, with the schedules from the configuration:
 * - deliveries: DELIVERY_RETRY_SCHEDULE ±10 %, one attempt per delay and one more, then `dead`; a
 *   Retry-After later than the scheduled delay wins;
 * - inbound runs: INBOUND_RETRY_SCHEDULE ±10 %, the last delay repeating, as many runs as the source's
 *   `max_retries` allows (+1), then `failed`;
 * - notifications: NOTIFICATION_RETRY_SCHEDULE exactly, one attempt per delay and one more, then
 *   `failed`; the provider's `retry_after` / Retry-After replaces the scheduled delay.
 */
export function retryPolicy(work: RetriedWork, config: RetrySchedules): RetryPolicy {
  switch (work) {
    case 'deliveries':
      return {
        schedule: config.deliveryRetrySchedule,
        jitter: 0.1,
        lastDelay: 'ends',
        maxAttempts: 'schedule',
        hint: 'later',
        gaveUp: 'dead',
      };
    case 'inbound':
      return {
        schedule: config.inboundRetrySchedule,
        jitter: 0.1,
        lastDelay: 'repeats',
        maxAttempts: 'per-item',
        hint: 'later',
        gaveUp: 'failed',
      };
    case 'notifications':
      return {
        schedule: config.notificationRetrySchedule,
        jitter: 0,
        lastDelay: 'ends',
        maxAttempts: 'schedule',
        hint: 'instead',
        gaveUp: 'failed',
      };
  }
}
