/**
 * When a batch leaves (batch delivery: a subscription's `batch: {max_events, max_wait_ms}`).
 *
 * A subscription's deliveries wait, `queued` and in no batch yet, until a batch is due: as soon as
 * `max_events` of them wait, or when the oldest of them has waited `max_wait_ms`. Then the oldest
 * ones (at most `max_events`, in the order their events were published) form one batch, which from
 * then on is claimed, sent, retried and recorded as one.
 */

export interface BatchOptions {
  maxEvents: number;
  maxWaitMs: number;
}

/** The batch settings of a subscription, or null when it sends one event per request. */
export function batchOptionsOf(s: {
  batchMaxEvents: number | null;
  batchMaxWaitMs: number | null;
}): BatchOptions | null {
  return s.batchMaxEvents === null || s.batchMaxWaitMs === null
    ? null
    : { maxEvents: s.batchMaxEvents, maxWaitMs: s.batchMaxWaitMs };
}

/** The deliveries of a subscription waiting for a batch: how many (counted up to max_events) and since when. */
export interface Waiting {
  count: number;
  /** When the oldest was created; null when none waits. */
  oldestAt: Date | null;
}

/** True when a batch should leave now: max_events deliveries wait, or the oldest has waited max_wait_ms. */
export function batchDue(waiting: Waiting, options: BatchOptions, now: Date): boolean {
  if (waiting.count === 0 || waiting.oldestAt === null) return false;
  return waiting.count >= options.maxEvents || now.getTime() - waiting.oldestAt.getTime() >= options.maxWaitMs;
}

/**
 * When a waiting delivery that did not leave in a batch looks again: when it will have waited
 * max_wait_ms, and never sooner than `pollMs` from now (a delivery that has waited long enough but
 * was left out, by an ordered subscription's rule or a full batch of older ones, looks again soon).
 */
export function lookAgainAt(createdAt: Date, options: BatchOptions, now: Date, pollMs: number): Date {
  return new Date(Math.max(createdAt.getTime() + options.maxWaitMs, now.getTime() + pollMs));
}

/** `X-Webhook-Event` of a batch: the event type all its events share, else `mixed`. */
export function batchEventType(types: readonly string[]): string {
  const [first] = types;
  return first !== undefined && types.every((t) => t === first) ? first : 'mixed';
}
