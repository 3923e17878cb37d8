import { parseDurationList } from '../common/duration';
import { DEFAULTS } from '../config/env';
import { nextRetryDelay, parseRetryAfter } from './retry-schedule';

const SCHEDULE = parseDurationList(DEFAULTS.DELIVERY_RETRY_SCHEDULE) as number[];
const exact = { random: () => 0.5 };

describe('nextRetryDelay', () => {
  it('walks the default schedule 5s,5m,30m,2h,5h,10h,10h, one step per failed attempt', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((attempts) => nextRetryDelay(SCHEDULE, attempts, exact));
    expect(delays).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it('answers null once the schedule is exhausted, so 7 delays give 8 attempts in all', () => {
    let attempts = 1;
    while (nextRetryDelay(SCHEDULE, attempts, exact) !== null) attempts++;
    expect(attempts).toBe(8);
    expect(nextRetryDelay(SCHEDULE, 9, exact)).toBeNull();
    expect(nextRetryDelay([], 1, exact)).toBeNull();
  });

  it.each([
    [0, 4_500],
    [0.25, 4_750],
    [0.5, 5_000],
    [0.75, 5_250],
    [1, 5_500],
  ])('spreads by ±10%% by default: random %d gives %d ms', (random, delay) => {
    expect(nextRetryDelay([5_000], 1, { random: () => random })).toBe(delay);
  });

  it('stays within ±10% with the real Math.random', () => {
    for (let i = 0; i < 200; i++) {
      const delay = nextRetryDelay(SCHEDULE, 2) as number;
      expect(delay).toBeGreaterThanOrEqual(270_000);
      expect(delay).toBeLessThanOrEqual(330_000);
    }
  });

  it('honours a custom jitter fraction, and none at all', () => {
    expect(nextRetryDelay([10_000], 1, { jitter: 0.5, random: () => 0 })).toBe(5_000);
    expect(nextRetryDelay([10_000], 1, { jitter: 0.5, random: () => 1 })).toBe(15_000);
    expect(nextRetryDelay([10_000], 1, { jitter: 0, random: () => 1 })).toBe(10_000);
  });

  it('lets a later Retry-After win, without jitter', () => {
    expect(nextRetryDelay(SCHEDULE, 1, { random: () => 1, retryAfterMs: 60_000 })).toBe(60_000);
    expect(nextRetryDelay(SCHEDULE, 1, { random: () => 0, retryAfterMs: 5_000 })).toBe(5_000);
  });

  it('keeps the scheduled delay when the Retry-After is sooner', () => {
    expect(nextRetryDelay(SCHEDULE, 2, { random: () => 0.5, retryAfterMs: 60_000 })).toBe(300_000);
    expect(nextRetryDelay(SCHEDULE, 1, { random: () => 1, retryAfterMs: 5_000 })).toBe(5_500);
    expect(nextRetryDelay(SCHEDULE, 1, { random: () => 0.5, retryAfterMs: 0 })).toBe(5_000);
  });

  it('still declares the delivery dead after the last attempt, whatever Retry-After says', () => {
    expect(nextRetryDelay(SCHEDULE, 8, { retryAfterMs: 1_000 })).toBeNull();
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses attemptsMade = %p', (attempts) => {
    expect(() => nextRetryDelay(SCHEDULE, attempts)).toThrow(RangeError);
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2025-01-09T12:00:00.000Z');

  it.each([
    ['120', 120_000],
    ['0', 0],
    [' 30 ', 30_000],
    ['1', 1_000],
    ['86400', 86_400_000],
  ])('reads delta seconds %p as %d ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([
    ['Thu, 09 Jan 2025 12:05:00 GMT', 300_000],
    ['Thursday, 09-Jan-25 12:05:00 GMT', 300_000],
    ['Thu Jan  9 12:05:00 2025', 300_000],
    ['Thu, 09 Jan 2025 12:00:00 GMT', 0],
  ])('reads the HTTP date %p relative to now', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it('measures HTTP dates from the real clock by default', () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = parseRetryAfter(inOneMinute) as number;
    expect(ms).toBeGreaterThan(55_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it('caps at 24 hours', () => {
    expect(parseRetryAfter('999999', now)).toBe(86_400_000);
    expect(parseRetryAfter('Sat, 01 Jan 2030 00:00:00 GMT', now)).toBe(86_400_000);
  });

  it.each([
    undefined,
    '',
    '   ',
    '-5',
    '1.5',
    '1e3',
    '0x10',
    'soon',
    '5 s',
    '2025-01-09T12:05:00Z',
    'Thu, 09 Jan 2025 12:05:00',
    'Thu, 09 Jan 2025 12:05:00 PST',
    'Thu, 09 Jan 2025 25:99:00 GMT',
    'Wed, 08 Jan 2025 12:00:00 GMT',
  ])('answers undefined for %p (absent, garbage or in the past)', (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
