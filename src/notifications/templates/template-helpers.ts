import type { HelperOptions } from 'handlebars';
import {
  formatDate,
  formatDateTime,
  formatMoney,
  formatPhone,
  formatTime,
  formatWeekday,
  toWallClock,
  WallClock,
} from './formatters';

/** What the helpers of one render need to know about the recipient. */
export interface HelperSettings {
  /** IANA zone the dates are shown in. */
  timezone: string;
  /** BCP 47 locale of month names, weekdays and the decimal separator. */
  locale: string;
}

/** A helper was given something it cannot use; the message names the helper and, when known, line and column. */
export class HelperInputError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** How a helper may be called: number of positional arguments, and whether it is a block (`{{#if}}…{{/if}}`). */
export interface HelperShape {
  minArgs: number;
  maxArgs: number;
  block: boolean;
}

const shape = (minArgs: number, maxArgs: number, block = false): HelperShape => ({ minArgs, maxArgs, block });

/** Every helper a template may call: Handlebars' own (but not `log`, which writes to the server's console) and ours. */
export const HELPER_SHAPES: Readonly<Record<string, HelperShape>> = {
  if: shape(1, 1, true),
  unless: shape(1, 1, true),
  each: shape(1, 1, true),
  with: shape(1, 1, true),
  lookup: shape(2, 2),
  date: shape(1, 1),
  time: shape(1, 1),
  datetime: shape(1, 1),
  weekday: shape(1, 1),
  money: shape(1, 1),
  phone: shape(1, 1),
  eq: shape(2, 2),
  join: shape(1, 2),
  default: shape(2, 2),
  text: shape(0, Infinity),
};

type Helper = (args: unknown[], hash: Record<string, unknown>) => unknown;

function hashString(hash: Record<string, unknown>, key: string): string | undefined {
  const value = hash[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`${key}= must be a string, got ${JSON.stringify(value)}`);
  return value;
}

function clockHelper(settings: HelperSettings, format: (clock: WallClock) => string): Helper {
  return ([value]) => {
    const clock = toWallClock(value, settings.timezone);
    return clock === null ? '' : format(clock);
  };
}

function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * How a value prints: '' for null/undefined, text as is, numbers and booleans as JavaScript writes them, an array as
 * its items joined by ", ", any other object as JSON (instead of Handlebars' "[object Object]").
 */
export function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return value.map(display).join(', ');
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? '';
}

/** `join list [separator] [key="field"]`. */
const join: Helper = ([list, separator], hash) => {
  const key = hashString(hash, 'key');
  if (separator !== undefined && typeof separator !== 'string') throw new Error('the separator must be a string');
  if (list === null || list === undefined) return '';
  if (!Array.isArray(list)) return display(list);
  const field = (item: unknown): unknown =>
    typeof item === 'object' && item !== null && Object.hasOwn(item, key!)
      ? (item as Record<string, unknown>)[key!]
      : null;
  const items: unknown[] = key === undefined ? list : list.map(field);
  return items
    .filter((item) => !isBlank(item))
    .map(display)
    .join(separator ?? ', ');
};

/** `eq a b`: strictly equal, or the same text for a number and a string ("42" and 42). */
const eq: Helper = ([a, b]) => {
  if (a === b) return true;
  const comparable = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number';
  return comparable(a) && comparable(b) && String(a) === String(b);
};

/**
 * Our helpers, bound to one render's time zone and locale. Every value they return is escaped for the channel like any
 * other `{{value}}`.
 *
 * - `{{date x}}` → "15 августа" / "August 15"; `{{time x}}` → "14:00"; `{{datetime x}}` → "15 августа в 14:00" /
 *   "August 15 at 14:00"; `{{weekday x}}` → "четверг" / "Thursday". `x` is an ISO 8601 string (with an offset it is
 *   converted to the render's time zone; without one it is taken as local time there) or unix seconds; empty → ''.
 * - `{{money x}}` → "1500", "1500,50" (ru) / "1500.50" (en), from a number or decimal string, no float artefacts;
 *   `{{money x currency="RUB"}}` → "1500 руб" (ru) / "1500 RUB" (en).
 * - `{{phone x}}` → "+7 999 123-45-67" for Russian numbers, else "+<digits>".
 * - `(eq a b)` → true when equal (a number equals its decimal text), for `{{#if (eq a b)}}`.
 * - `{{join list}}` / `{{join list " · "}}` / `{{join booking.services key="title"}}` → items (or their `key`
 *   field) joined by ", " or the separator, empty items skipped.
 * - `{{default x "—"}}` → x, or the fallback when x is null, undefined, '' or [].
 * - `{{text "Вы записаны!"}}` → its arguments concatenated: literal text that is escaped like a value (MarkdownV2
 *   needs `!`, `.`, `-`, `#`… escaped), so one template source suits every channel.
 */
export function createHelpers(settings: HelperSettings): Record<string, Helper> {
  const { locale } = settings;
  return {
    date: clockHelper(settings, (clock) => formatDate(clock, locale)),
    time: clockHelper(settings, formatTime),
    datetime: clockHelper(settings, (clock) => formatDateTime(clock, locale)),
    weekday: clockHelper(settings, (clock) => formatWeekday(clock, locale)),
    money: ([value], hash) => formatMoney(value, locale, hashString(hash, 'currency')),
    phone: ([value]) => formatPhone(value),
    eq,
    join,
    default: ([value, fallback]) => (isBlank(value) ? fallback : value),
    text: (args) => args.map(display).join(''),
  };
}

interface LocatedOptions extends HelperOptions {
  loc?: { start: { line: number; column: number } };
}

/**
 * Adapts our helpers to Handlebars' calling convention (positional arguments, then an options object) and turns any
 * error into a {@link HelperInputError} naming the helper and its position in the template. `beforeCall` runs before
 * every call, outside that translation (the render's budget check: its error passes as it is).
 */
export function toHandlebarsHelpers(
  helpers: Record<string, Helper>,
  beforeCall: () => void = () => {},
): Record<string, (...args: unknown[]) => unknown> {
  return Object.fromEntries(
    Object.entries(helpers).map(([name, helper]) => [
      name,
      (...args: unknown[]): unknown => {
        beforeCall();
        const options = args.pop() as LocatedOptions;
        try {
          return helper(args, (options.hash ?? {}) as Record<string, unknown>);
        } catch (error) {
          const start = options.loc?.start;
          const detail = error instanceof Error ? error.message : String(error);
          const where = start ? ` (line ${start.line}, column ${start.column + 1})` : '';
          throw new HelperInputError(`${name}: ${detail}${where}`, start?.line, start && start.column + 1);
        }
      },
    ]),
  );
}
