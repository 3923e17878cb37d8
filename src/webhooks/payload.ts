import { parse as parseQuery } from 'qs';
import { ApiError } from '../common/api-error';
import { depthOf, MAX_DEPTH } from '../common/json-depth';
import { storableJson } from '../common/storable';

export type BodyKind = 'json' | 'form';

/** The kind of body a content type announces, or null when ingest does not take it (415). */
export function bodyKindOf(contentType: string | undefined): BodyKind | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

/**
 * Parses a verified ingest body: JSON (an object or an array), or a form whose keys are PHP-style
 * nested paths, percent-encoded or not (`leads%5Bstatus%5D%5B0%5D%5Bid%5D=1` → `{leads: {status: [{id: '1'}]}}`).
 * The value is storable: NUL and lone surrogates in keys and strings become U+FFFD (common/storable.ts),
 * so one odd byte never makes a provider's webhook impossible to store or process.
 */
export function parsePayload(raw: Buffer, kind: BodyKind): unknown {
  const text = raw.toString('utf8');
  const value = kind === 'json' ? parseJson(text) : parseForm(text);
  return mayHoldUnstorable(text, kind) ? storableJson(value) : value;
}

/**
 * Whether a parsed body can hold NUL or a lone surrogate at all, so that most bodies are not walked:
 * decoded UTF-8 holds no lone surrogate and JSON.parse refuses a raw control character, so in JSON
 * only a `\u` escape makes one; in a form only `%00` or a raw NUL byte (decodeURIComponent refuses an
 * encoded surrogate, and qs then keeps the text as it was).
 */
function mayHoldUnstorable(text: string, kind: BodyKind): boolean {
  return kind === 'json' ? text.includes('\\u') : text.includes('%00') || text.includes('\u0000');
}

function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('INVALID_JSON', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null) {
    throw ApiError.validation('The request body must be a JSON object or array.', [
      { field: 'body', message: 'body must be a JSON object or array' },
    ]);
  }
  if (depthOf(value) > MAX_DEPTH) throw tooDeep();
  return value;
}

function parseForm(text: string): unknown {
  if (text.includes('\uFFFD') && !/%EF%BF%BD/i.test(text)) {
    throw ApiError.validation('The form body is not valid UTF-8.', [{ field: 'body', message: 'body must be UTF-8' }]);
  }
  try {
    return parseQuery(text, {
      depth: MAX_DEPTH,
      strictDepth: true,
      arrayLimit: 1000,
      parameterLimit: 10_000,
      allowPrototypes: false,
      allowDots: false,
    });
  } catch {
    throw tooDeep();
  }
}

function tooDeep(): ApiError {
  return ApiError.validation(`The request body nests deeper than ${MAX_DEPTH} levels.`, [
    { field: 'body', message: `body must not nest deeper than ${MAX_DEPTH} levels` },
  ]);
}
