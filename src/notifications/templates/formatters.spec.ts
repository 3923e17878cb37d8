import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatPhone,
  formatTime,
  formatWeekday,
  FormatError,
  toWallClock,
} from './formatters';

const MOSCOW = 'Europe/Moscow';
/** 2024-08-15 11:00 UTC = 14:00 in Moscow, a Thursday. */
const UNIX = Date.UTC(2024, 7, 15, 11, 0) / 1000;
const AUG_15_14_00 = { year: 2024, month: 8, day: 15, hour: 14, minute: 0 };

describe('toWallClock', () => {
  it.each([
    ['an ISO string with Z', '2024-08-15T11:00:00Z'],
    ['an ISO string with an offset', '2024-08-15T14:00:00+03:00'],
    ['an ISO string with another offset', '2024-08-15T12:00:00.000+01:00'],
    ['a compact offset', '2024-08-15T14:00:00+0300'],
    ['an ISO string without offset (already local time)', '2024-08-15T14:00:00'],
    ['a YCLIENTS-style local string', '2024-08-15 14:00:00'],
    ['unix seconds', UNIX],
    ['unix seconds as text', String(UNIX)],
    ['a Date', new Date(UNIX * 1000)],
  ])('reads %s as 15 August 14:00 in Moscow', (_name, value) => {
    expect(toWallClock(value, MOSCOW)).toEqual(AUG_15_14_00);
  });

  it('converts instants into the requested zone, across the date line', () => {
    expect(toWallClock('2024-08-15T23:30:00Z', 'Asia/Vladivostok')).toEqual({
      ...AUG_15_14_00,
      day: 16,
      hour: 9,
      minute: 30,
    });
    expect(toWallClock('2024-01-15T12:00:00Z', 'America/New_York')).toEqual({
      year: 2024,
      month: 1,
      day: 15,
      hour: 7,
      minute: 0,
    });
  });

  it('reads a date alone as midnight', () => {
    expect(toWallClock('2024-08-15', MOSCOW)).toEqual({ ...AUG_15_14_00, hour: 0 });
  });

  it('gives null for null, undefined and empty text', () => {
    expect(toWallClock(null, MOSCOW)).toBeNull();
    expect(toWallClock(undefined, MOSCOW)).toBeNull();
    expect(toWallClock('  ', MOSCOW)).toBeNull();
  });

  it.each([['tomorrow'], ['2024-02-30T10:00:00'], ['2024-08-15T25:00:00Z'], [{ at: 1 }], [true], [Number.NaN]])(
    'refuses %p with a message naming the value',
    (value) => {
      expect(() => toWallClock(value, MOSCOW)).toThrow(FormatError);
      expect(() => toWallClock(value, MOSCOW)).toThrow(
        /^cannot read .* as a date \(expected an ISO 8601 string or unix seconds\)$/,
      );
    },
  );
});

describe('date and time formats', () => {
  it('writes the day and month name in the locale', () => {
    expect(formatDate(AUG_15_14_00, 'ru')).toBe('15 августа');
    expect(formatDate(AUG_15_14_00, 'en')).toBe('August 15');
    expect(formatDate(AUG_15_14_00, 'ru-RU')).toBe('15 августа');
  });

  it('writes time on a 24-hour clock everywhere', () => {
    expect(formatTime(AUG_15_14_00)).toBe('14:00');
    expect(formatTime({ ...AUG_15_14_00, hour: 9, minute: 5 })).toBe('09:05');
  });

  it('writes the weekday in the locale', () => {
    expect(formatWeekday(AUG_15_14_00, 'ru')).toBe('четверг');
    expect(formatWeekday(AUG_15_14_00, 'en')).toBe('Thursday');
  });

  it('joins date and time with "в" in ru, "at" in en, and the locale’s own pattern elsewhere', () => {
    expect(formatDateTime(AUG_15_14_00, 'ru')).toBe('15 августа в 14:00');
    expect(formatDateTime(AUG_15_14_00, 'en')).toBe('August 15 at 14:00');
    expect(formatDateTime(AUG_15_14_00, 'de')).toBe('15. August um 14:00');
  });
});

describe('formatMoney', () => {
  it.each([
    ['1500', 'ru', '1500'],
    ['1500.00', 'ru', '1500'],
    ['1500.5', 'ru', '1500,50'],
    ['1500.50', 'en', '1500.50'],
    ['1500,50', 'en', '1500.50'],
    [1500, 'en', '1500'],
    [1500.5, 'ru', '1500,50'],
    [0.1 + 0.2, 'en', '0.30'],
    [1.005, 'en', '1.01'],
    ['2.675', 'en', '2.68'],
    ['0.004', 'en', '0'],
    ['-250.5', 'ru', '-250,50'],
    ['-0.001', 'en', '0'],
    ['12345678901234567890.99', 'en', '12345678901234567890.99'],
    ['1500.5', 'de', '1500,50'],
  ])('writes %p in %s as %p', (value, locale, expected) => {
    expect(formatMoney(value, locale)).toBe(expected);
  });

  it('appends the short currency word of the language, else the ISO code', () => {
    expect(formatMoney('1500', 'ru', 'RUB')).toBe('1500 руб');
    expect(formatMoney('1500.5', 'ru', 'rub')).toBe('1500,50 руб');
    expect(formatMoney('1500', 'en', 'RUB')).toBe('1500 RUB');
    expect(formatMoney('99.9', 'en', 'USD')).toBe('99.90 USD');
    expect(formatMoney('10', 'ru', 'GBP')).toBe('10 GBP');
  });

  it('gives empty text for a missing amount and refuses what is not one', () => {
    expect(formatMoney(null, 'ru', 'RUB')).toBe('');
    expect(formatMoney('', 'ru')).toBe('');
    expect(() => formatMoney('1 500', 'ru')).toThrow(
      'cannot read "1 500" as an amount (expected a number or a decimal string)',
    );
    expect(() => formatMoney(Number.POSITIVE_INFINITY, 'ru')).toThrow(FormatError);
  });
});

describe('formatPhone', () => {
  it.each([
    ['79991234567', '+7 999 123-45-67'],
    ['+7 (999) 123-45-67', '+7 999 123-45-67'],
    ['89991234567', '+7 999 123-45-67'],
    ['9991234567', '+7 999 123-45-67'],
    [79991234567, '+7 999 123-45-67'],
    ['+380 44 123 4567', '+380441234567'],
    ['14155552671', '+14155552671'],
    ['скрыт', 'скрыт'],
    [null, ''],
  ])('writes %p as %p', (value, expected) => {
    expect(formatPhone(value)).toBe(expected);
  });
});
