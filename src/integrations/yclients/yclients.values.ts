/**
 * Value helpers for YClients / Altegio payloads, which are PHP `json_encode` output: ids as ints,
 * floats with artefacts (`33.710000000000001`, `1500.0000000001`), `[]` for empty objects,
 * `\/` and `\uXXXX` escapes (undone by JSON.parse; undone here too when a sender escaped twice),
 * and dates both as "+03:00" and as "+0300".
 */

export type Json = Record<string, unknown>;

/** A JSON object, PHP's empty array `[]` as `{}`, a JSON-encoded object string parsed; else null. */
export function objectOf(value: unknown): Json | null {
  if (Array.isArray(value)) return value.length === 0 ? {} : null;
  if (typeof value === 'object' && value !== null) return value as Json;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      return objectOf(JSON.parse(value));
    } catch {
      return null;
    }
  }
  return null;
}

/** An id given as an int or a string, as a string; null when absent or not an id. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
  if (typeof value === 'string' && /^\s*[0-9A-Za-z_-]+\s*$/.test(value)) return value.trim();
  return null;
}

/** Undoes escapes a sender applied twice (literal `\u0412`, `\/`), which JSON.parse left as text. */
export function unescapePhp(text: string): string {
  if (!text.includes('\\')) return text;
  return text
    .replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\\//g, '/');
}

/** A text field: strings unescaped and trimmed; numbers as text; empty or absent → null. */
export function textOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const text = unescapePhp(value).trim();
  return text === '' ? null : text;
}

/** A number without binary float artefacts (12 significant digits: 1500.0000000001 → 1500). */
export function tidyNumber(value: number): number {
  return Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(12));
}

/** The provider's object with float artefacts tidied everywhere (keys and order kept). */
export function tidyFloats(value: unknown): unknown {
  if (typeof value === 'number') return tidyNumber(value);
  if (Array.isArray(value)) return value.map(tidyFloats);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tidyFloats(v)]));
  }
  return value;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Rounds a plain decimal text half away from zero to two decimals, without binary floats. */
function roundDecimal(text: string): string | null {
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  let cents = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  if (Number(fraction[2] ?? '0') >= 5) cents += 1n;
  const units = cents / 100n;
  const rest = (cents % 100n).toString().padStart(2, '0');
  return `${sign && cents !== 0n ? '-' : ''}${units}.${rest}`;
}

/**
 * Money as a decimal string with two decimals: 4000 → "4000.00", 1500.0000000001 → "1500.00",
 * 33.710000000000001 → "33.71", "99,5" → "99.50"; null when absent or not a number.
 */
export function moneyOf(value: unknown): string | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const tidy = tidyNumber(value);
    const exponent = /e/i.test(String(tidy));
    const plain = !exponent ? String(tidy) : Number.isInteger(tidy) ? BigInt(tidy).toString() : tidy.toFixed(2);
    return roundDecimal(plain);
  }
  if (typeof value === 'string') return roundDecimal(value.trim().replace(',', '.').replace(/^\+/, ''));
  return null;
}

/** Sum of decimal strings with two decimals, exact. */
export function sumMoney(values: (string | null)[]): string | null {
  const present = values.filter((v): v is string => v !== null);
  if (present.length === 0) return null;
  const cents = present.reduce((total, v) => total + BigInt(v.replace('.', '')), 0n);
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A phone as digits with a leading `+` ("+7 (999) 000-00-01" → "+79990000001"); null when it has no digits. */
export function phoneOf(value: unknown): string | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const digits = text.replace(/\D/g, '');
  return digits === '' ? null : `+${digits}`;
}

/** An int flag or number (`1`, `"1"`, `true`) as a number; null when absent. */
export function intOf(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return null;
}

/** A PHP boolean (`true`, `1`, `"1"`, `"true"`) as a boolean; null when absent. */
export function boolOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['1', 'true', 'yes'].includes(v)) return true;
    if (['0', 'false', 'no', ''].includes(v)) return false;
  }
  return null;
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A YClients date-time as ISO-8601 keeping the company's offset as given, with a colon
 * ("2025-07-13T11:49:08+0500" → "2025-07-13T11:49:08+05:00"); a date without offset
 * ("2025-07-13 12:10:00", local time) stays without one. Null when it is no date-time.
 */
export function isoLocalOf(value: unknown): string | null {
  const text = textOf(value);
  const match = text === null ? null : DATE_TIME.exec(text);
  if (!match) return null;
  const [, date, time, fraction = '', zone] = match;
  const seconds = time.length === 5 ? `${time}:00` : time;
  const offset = zone === undefined ? '' : /z/i.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return `${date}T${seconds}${fraction}${offset}`;
}

/** The instant of a YClients date-time that carries an offset; null without one (local times are ambiguous). */
export function instantOf(value: unknown): Date | null {
  const iso = isoLocalOf(value);
  if (iso === null || !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}
