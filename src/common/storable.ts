/**
 * Text from outside (subscriber answers, provider payloads and their keys, error messages) made
 * storable in PostgreSQL before it is written: NUL (which `text` and `jsonb` refuse) becomes U+FFFD,
 * and so does a lone UTF-16 surrogate (which cannot be encoded as UTF-8 and makes `json` refuse its
 * escape). Everything else is kept as it was; a string with nothing to replace is returned as is.
 */

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what is looked for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const REPLACEMENT = '\uFFFD';

/** True when `text` holds a character PostgreSQL refuses (NUL or a lone surrogate). */
export function hasUnstorable(text: string): boolean {
  UNSTORABLE.lastIndex = 0;
  const found = UNSTORABLE.test(text);
  UNSTORABLE.lastIndex = 0;
  return found;
}

/** `text` with NUL and lone surrogates replaced by U+FFFD. */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null | undefined): string | null | undefined;
export function storableText(text: string | null | undefined): string | null | undefined {
  if (typeof text !== 'string' || !hasUnstorable(text)) return text;
  return text.replace(UNSTORABLE, REPLACEMENT);
}

/**
 * A JSON value with every string and every object key made storable (see {@link storableText}).
 * Objects and arrays are copied only where something changed, so a clean payload is returned as is.
 * Two keys that become the same after replacement keep the later value, as JSON.parse would.
 */
export function storableJson<T>(value: T): T {
  return sanitize(value) as T;
}

function sanitize(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i += 1) {
      const clean = sanitize(value[i]);
      if (clean !== value[i]) {
        copy ??= value.slice();
        copy[i] = clean;
      }
    }
    return copy ?? value;
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    let changed = false;
    const cleaned = entries.map(([key, item]): [string, unknown] => {
      const cleanKey = storableText(key);
      const cleanItem = sanitize(item);
      if (cleanKey !== key || cleanItem !== item) changed = true;
      return [cleanKey, cleanItem];
    });
    return changed ? Object.fromEntries(cleaned) : value;
  }
  return value;
}
