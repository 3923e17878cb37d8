import { Failure } from '../work/retry-policy';
import { deliveryFailure, parseRetryAfter } from './delivery-failure';

describe('deliveryFailure', () => {
  const now = new Date('2025-01-09T12:00:00.000Z');

  it('retries any failed answer or transport error on the schedule', () => {
    for (const httpStatus of [500, 502, 400, 404, 302, null]) {
      expect(deliveryFailure({ httpStatus, retryAfter: undefined }, false, now)).toBe(Failure.retry);
    }
  });

  it.each([429, 503])('retries a %d after its Retry-After, in seconds or as an HTTP date', (httpStatus) => {
    expect(deliveryFailure({ httpStatus, retryAfter: '120' }, false, now)).toEqual(Failure.retryAfter(120_000));
    const date = 'Thu, 09 Jan 2025 12:05:00 GMT';
    expect(deliveryFailure({ httpStatus, retryAfter: date }, false, now)).toEqual(Failure.retryAfter(300_000));
  });

  it('ignores a Retry-After on other statuses, and an unreadable one', () => {
    expect(deliveryFailure({ httpStatus: 500, retryAfter: '120' }, false, now)).toBe(Failure.retry);
    expect(deliveryFailure({ httpStatus: 429, retryAfter: 'soon' }, false, now)).toBe(Failure.retry);
    expect(deliveryFailure({ httpStatus: 503, retryAfter: undefined }, false, now)).toBe(Failure.retry);
  });

  it('calls a 410 gone', () => {
    expect(deliveryFailure({ httpStatus: 410, retryAfter: '5' }, false, now)).toBe(Failure.gone);
  });

  it('calls an attempt whose body could not be sent permanent', () => {
    expect(deliveryFailure({ httpStatus: null, retryAfter: undefined }, true, now)).toBe(Failure.permanent);
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
