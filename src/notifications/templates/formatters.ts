/**
 * Locale- and time-zone-aware formatting behind the template helpers (date, time, money, phone). Pure functions; a
 * value that cannot be read throws a {@link FormatError} whose message names the value.
 */
export class FormatError extends Error {
  override name = 'FormatError';
}

/** A moment as the clock on the recipient's wall shows it. */
export interface WallClock {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** ISO 8601 date, optional time (`T` or space), optional fraction, optional offset (`Z`, `+03`, `+0300`, `+03:00`). */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const UNIX_SECONDS = /^-?\d+(?:\.\d+)?$/;
const DECIMAL = /^([+-])?(\d+)(?:[.,](\d+))?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached Intl.DateTimeFormat per (locale, options). */
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, format);
  }
  return format;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"`;
  if (value instanceof Date) return 'an invalid Date';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return (JSON.stringify(value) ?? typeof value).slice(0, 60);
}

function badDate(value: unknown): FormatError {
  return new FormatError(`cannot read ${describe(value)} as a date (expected an ISO 8601 string or unix seconds)`);
}

/** The wall clock of an instant in `timeZone`. */
function instantToWallClock(ms: number, timeZone: string, original: unknown): WallClock {
  if (!Number.isFinite(ms) || Number.isNaN(new Date(ms).getTime())) throw badDate(original);
  const parts = dateFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute') };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Reads an ISO 8601 string; with an offset it is an instant, without one it already is wall-clock time. */
function isoToWallClock(text: string, timeZone: string): WallClock {
  const m = ISO.exec(text);
  if (!m) throw badDate(text);
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0));
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) throw badDate(text);
  if (m[8] === undefined && m[9] === undefined) return { year, month, day, hour, minute };
  const sign = m[9] === '-' ? -1 : 1;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  return instantToWallClock(utc, timeZone, text);
}

/**
 * The wall clock in `timeZone` of a date value, or null for null/undefined/''. Accepts unix seconds (number or numeric
 * string), a Date, and ISO 8601 strings: with an offset (`2024-08-15T11:00:00Z`, `…+03:00`) they are converted to
 * `timeZone`; without one (`2024-08-15 14:00:00`) they are taken as already being local time there.
 */
export function toWallClock(value: unknown, timeZone: string): WallClock | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return instantToWallClock(value * 1000, timeZone, value);
  if (value instanceof Date) return instantToWallClock(value.getTime(), timeZone, value);
  if (typeof value !== 'string') throw badDate(value);
  const text = value.trim();
  if (text === '') return null;
  if (UNIX_SECONDS.test(text)) return instantToWallClock(Number(text) * 1000, timeZone, value);
  return isoToWallClock(text, timeZone);
}

/** The language subtag of a BCP 47 locale ('ru-RU' → 'ru'). */
export function languageOf(locale: string): string {
  return new Intl.Locale(locale).language;
}

/** The wall clock as a Date whose UTC fields are the wall clock, formatted with timeZone 'UTC'. */
function asUtc(clock: WallClock): Date {
  return new Date(Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute));
}

/** "15 августа" (ru), "August 15" (en), the locale's own day-and-month form elsewhere. */
export function formatDate(clock: WallClock, locale: string): string {
  return dateFormat(locale, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(asUtc(clock));
}

/** "14:00": 24-hour clock in every locale. */
export function formatTime(clock: WallClock): string {
  return `${String(clock.hour).padStart(2, '0')}:${String(clock.minute).padStart(2, '0')}`;
}

/** "четверг" (ru), "Thursday" (en). */
export function formatWeekday(clock: WallClock, locale: string): string {
  return dateFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(asUtc(clock));
}

const DATETIME_JOINERS: Record<string, string> = { ru: 'в', en: 'at' };

/** "15 августа в 14:00" (ru), "August 15 at 14:00" (en); other locales use their own Intl pattern (24-hour). */
export function formatDateTime(clock: WallClock, locale: string): string {
  const joiner = DATETIME_JOINERS[languageOf(locale)];
  if (joiner) return `${formatDate(clock, locale)} ${joiner} ${formatTime(clock)}`;
  const options = { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const;
  return dateFormat(locale, { ...options, timeZone: 'UTC' }).format(asUtc(clock));
}

/** A decimal amount as sign, integer digits and fraction digits, read without going through floating point. */
function decimalParts(value: unknown): RegExpExecArray | null {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    // String() is the shortest exact round-trip form; exponent forms only occur below 1e-6 or from 1e21 up.
    text = String(value);
    if (text.includes('e')) text = Math.abs(value) < 1 ? value.toFixed(2) : BigInt(value).toString();
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return null;
  }
  return DECIMAL.exec(text);
}

const decimalSeparators = new Map<string, string>();

function decimalSeparator(locale: string): string {
  let separator = decimalSeparators.get(locale);
  if (separator === undefined) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1.5);
    separator = parts.find((p) => p.type === 'decimal')?.value ?? '.';
    decimalSeparators.set(locale, separator);
  }
  return separator;
}

/** Short currency words per language; a currency not listed is written as its ISO code. */
const CURRENCY_WORDS: Record<string, Record<string, string>> = {
  ru: { RUB: 'руб', USD: 'долл', EUR: 'евро', KZT: 'тенге' },
};

/**
 * An amount rounded half-up to kopecks/cents, without grouping: "1500" when whole, else two decimals with the locale's
 * separator ("1500,50" in ru, "1500.50" in en); with `currency`, the language's short word ("руб") or the ISO code
 * ("RUB") after a space. Accepts numbers and decimal strings ("1500", "1500.5", "1500,50"); null/undefined/'' → ''.
 */
export function formatMoney(value: unknown, locale: string, currency?: string): string {
  if (value === null || value === undefined || value === '') return '';
  const m = decimalParts(value);
  if (!m) throw new FormatError(`cannot read ${describe(value)} as an amount (expected a number or a decimal string)`);
  const fraction = m[3] ?? '';
  let cents = BigInt(m[2] + fraction.padEnd(2, '0').slice(0, 2));
  if (fraction.length > 2 && fraction[2] >= '5') cents += 1n;
  const whole = (cents / 100n).toString();
  const rest = cents % 100n;
  const sign = m[1] === '-' && cents !== 0n ? '-' : '';
  const amount = `${sign}${whole}${rest === 0n ? '' : decimalSeparator(locale) + rest.toString().padStart(2, '0')}`;
  if (currency === undefined || currency === '') return amount;
  const code = currency.toUpperCase();
  return `${amount} ${CURRENCY_WORDS[languageOf(locale)]?.[code] ?? code}`;
}

/**
 * A phone number for people: Russian/Kazakh numbers (11 digits starting with 7 or 8, or 10 starting with 9) as
 * "+7 999 123-45-67", any other number as "+" and its digits; text without digits is returned trimmed; null → ''.
 */
export function formatPhone(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new FormatError(`cannot read ${describe(value)} as a phone number`);
  }
  const text = String(value).trim();
  let digits = text.replace(/\D/g, '');
  if (digits === '') return text;
  if (digits.length === 10 && digits.startsWith('9')) digits = `7${digits}`;
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) {
    const d = digits;
    return `+7 ${d.slice(1, 4)} ${d.slice(4, 7)}-${d.slice(7, 9)}-${d.slice(9, 11)}`;
  }
  return `+${digits}`;
}
