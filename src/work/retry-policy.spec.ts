import { loadConfig } from '../config/env';
import { Failure, nextStep, RetryPolicy, retryPolicy } from './retry-policy';

const config = loadConfig({});
const deliveries = retryPolicy('deliveries', config);
const inbound = retryPolicy('inbound', config);
const notifications = retryPolicy('notifications', config);
const exact = { random: () => 0.5 };
const NOW = Date.parse('2025-01-09T12:00:00.000Z');

/** The delay of the step after `attempt` failed, or null when the policy gives up. */
function delayAfter(
  policy: RetryPolicy,
  attempt: number,
  options: { failure?: ReturnType<typeof Failure.retryAfter>; maxAttempts?: number; random?: () => number } = {},
): number | null {
  const step = nextStep(
    policy,
    { attempt, failure: options.failure ?? Failure.retry, maxAttempts: options.maxAttempts },
    { random: options.random ?? exact.random },
  );
  return step.action === 'retry' ? step.delayMs : null;
}

describe('nextStep', () => {
  describe('retry: the schedule, one delay per failed attempt', () => {
    it('walks the default delivery schedule 5s,5m,30m,2h,5h,10h,10h', () => {
      const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => delayAfter(deliveries, attempt));
      expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    });

    it('gives up once the schedule is exhausted, so 7 delays give 8 attempts in all, then `dead`', () => {
      let attempt = 1;
      while (delayAfter(deliveries, attempt) !== null) attempt++;
      expect(attempt).toBe(8);
      expect(nextStep(deliveries, { attempt: 8, failure: Failure.retry })).toEqual({
        action: 'give-up',
        status: 'dead',
        because: 'exhausted',
      });
      expect(delayAfter(deliveries, 9)).toBeNull();
      expect(delayAfter({ ...deliveries, schedule: [] }, 1)).toBeNull();
    });

    it('answers when the next attempt is due: now plus the delay', () => {
      const step = nextStep(deliveries, { attempt: 2, failure: Failure.retry }, { random: exact.random, now: NOW });
      expect(step).toEqual({ action: 'retry', delayMs: 300_000, at: new Date(NOW + 300_000) });
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses attempt = %p', (attempt) => {
      expect(() => nextStep(deliveries, { attempt, failure: Failure.retry })).toThrow(RangeError);
    });
  });

  describe('jitter', () => {
    it.each([
      [0, 4_500],
      [0.25, 4_750],
      [0.5, 5_000],
      [0.75, 5_250],
      [1, 5_500],
    ])('spreads a delivery delay by ±10%%: random %d gives %d ms', (random, delay) => {
      expect(delayAfter({ ...deliveries, schedule: [5_000] }, 1, { random: () => random })).toBe(delay);
    });

    it('stays within ±10% with the real Math.random', () => {
      for (let i = 0; i < 200; i++) {
        const step = nextStep(deliveries, { attempt: 2, failure: Failure.retry });
        expect(step.action).toBe('retry');
        const { delayMs } = step as { delayMs: number };
        expect(delayMs).toBeGreaterThanOrEqual(270_000);
        expect(delayMs).toBeLessThanOrEqual(330_000);
      }
    });

    it('honours a custom jitter fraction, and none at all', () => {
      const policy = { ...deliveries, schedule: [10_000] };
      expect(delayAfter({ ...policy, jitter: 0.5 }, 1, { random: () => 0 })).toBe(5_000);
      expect(delayAfter({ ...policy, jitter: 0.5 }, 1, { random: () => 1 })).toBe(15_000);
      expect(delayAfter({ ...policy, jitter: 0 }, 1, { random: () => 1 })).toBe(10_000);
    });

    it('keeps notification delays exact: 5s,30s,2m,10m whatever the randomness', () => {
      for (const random of [() => 0, () => 1]) {
        expect([1, 2, 3, 4].map((attempt) => delayAfter(notifications, attempt, { random }))).toEqual([
          5_000, 30_000, 120_000, 600_000,
        ]);
      }
    });
  });

  describe('retry-after: the hint of the other side', () => {
    it('waits a later hint instead of the scheduled delay for deliveries, without jitter', () => {
      expect(delayAfter(deliveries, 1, { random: () => 1, failure: Failure.retryAfter(60_000) })).toBe(60_000);
      expect(delayAfter(deliveries, 1, { random: () => 0, failure: Failure.retryAfter(5_000) })).toBe(5_000);
    });

    it('keeps the scheduled delivery delay when the hint is sooner', () => {
      expect(delayAfter(deliveries, 2, { failure: Failure.retryAfter(60_000) })).toBe(300_000);
      expect(delayAfter(deliveries, 1, { random: () => 1, failure: Failure.retryAfter(5_000) })).toBe(5_500);
      expect(delayAfter(deliveries, 1, { failure: Failure.retryAfter(0) })).toBe(5_000);
    });

    it('waits the hint for notifications whether it is sooner or later than the schedule', () => {
      expect(delayAfter(notifications, 1, { failure: Failure.retryAfter(1_000) })).toBe(1_000);
      expect(delayAfter(notifications, 1, { failure: Failure.retryAfter(60_000) })).toBe(60_000);
      expect(delayAfter(notifications, 4, { failure: Failure.retryAfter(0) })).toBe(0);
    });

    it('never adds attempts: after the last one the work is given up, whatever the hint says', () => {
      expect(nextStep(deliveries, { attempt: 8, failure: Failure.retryAfter(1_000) })).toMatchObject({
        action: 'give-up',
        because: 'exhausted',
      });
      expect(nextStep(notifications, { attempt: 5, failure: Failure.retryAfter(1_000) })).toEqual({
        action: 'give-up',
        status: 'failed',
        because: 'exhausted',
      });
    });

    it('is a plain retry when there is no hint', () => {
      expect(Failure.retryAfter(undefined)).toBe(Failure.retry);
      expect(Failure.retryAfter(2_000)).toEqual({ kind: 'retry-after', hintMs: 2_000 });
    });
  });

  describe('permanent and gone: given up at once', () => {
    it.each([
      ['deliveries', deliveries, 'dead'],
      ['inbound runs', inbound, 'failed'],
      ['notifications', notifications, 'failed'],
    ] as const)('a permanent failure ends %s `%s` at the first attempt', (_kind, policy, status) => {
      expect(nextStep(policy, { attempt: 1, failure: Failure.permanent, maxAttempts: 4 })).toEqual({
        action: 'give-up',
        status,
        because: 'permanent',
      });
    });

    it('a gone endpoint ends the delivery `dead`, saying it is gone', () => {
      expect(nextStep(deliveries, { attempt: 1, failure: Failure.gone })).toEqual({
        action: 'give-up',
        status: 'dead',
        because: 'gone',
      });
    });
  });

  describe('the last delay and the limit of attempts', () => {
    it('repeats the last inbound delay up to the item’s own limit (max_retries + 1 runs)', () => {
      const delays = [1, 2, 3, 4, 5, 6, 7].map((attempt) => delayAfter(inbound, attempt, { maxAttempts: 8 }));
      expect(delays).toEqual([300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000, 3_600_000]);
      expect(nextStep(inbound, { attempt: 8, failure: Failure.retry, maxAttempts: 8 })).toEqual({
        action: 'give-up',
        status: 'failed',
        because: 'exhausted',
      });
    });

    it('ends inbound runs at the item’s limit even when the schedule goes on', () => {
      expect(delayAfter(inbound, 3, { maxAttempts: 4 })).toBe(1_200_000);
      expect(delayAfter(inbound, 4, { maxAttempts: 4 })).toBeNull();
      expect(delayAfter(inbound, 1, { maxAttempts: 1 })).toBeNull();
    });

    it('lets the schedule’s end limit a per-item policy whose last delay ends', () => {
      const policy: RetryPolicy = { ...inbound, schedule: [1_000, 2_000], lastDelay: 'ends', jitter: 0 };
      expect(delayAfter(policy, 2, { maxAttempts: 10 })).toBe(2_000);
      expect(delayAfter(policy, 3, { maxAttempts: 10 })).toBeNull();
    });

    it('refuses a per-item policy without the item’s limit', () => {
      expect(() => nextStep(inbound, { attempt: 1, failure: Failure.retry })).toThrow(RangeError);
      expect(() => nextStep(inbound, { attempt: 1, failure: Failure.retry, maxAttempts: 0 })).toThrow(RangeError);
    });

    it('ignores an item limit where the schedule sets it', () => {
      expect(delayAfter(notifications, 4, { maxAttempts: 2 })).toBe(600_000);
      expect(delayAfter(notifications, 5, { maxAttempts: 10 })).toBeNull();
    });
  });
});

describe('retryPolicy', () => {
  it('takes each kind’s schedule from the configuration', () => {
    const custom = loadConfig({
      DELIVERY_RETRY_SCHEDULE: '1s',
      INBOUND_RETRY_SCHEDULE: '2s',
      NOTIFICATION_RETRY_SCHEDULE: '300ms,3s',
    });
    expect(retryPolicy('deliveries', custom).schedule).toEqual([1_000]);
    expect(retryPolicy('inbound', custom).schedule).toEqual([2_000]);
    expect(retryPolicy('notifications', custom).schedule).toEqual([300, 3_000]);
  });
});
