import { parse as parseQuery } from 'qs';
import { ApiError } from '../common/api-error';

/** Deeper bodies are refused: no provider nests this far, and deep bodies cost CPU to walk. */
export const MAX_DEPTH = 32;

export type BodyKind = 'json' | 'form';

/** The kind of body a content type announces, or null when ingest does not take it (415). */
export function bodyKindOf(contentType: string | undefined): BodyKind | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  return null;
}

/** How deeply objects and arrays nest in `value` (a scalar is 0). */
export function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    max = Math.max(max, depth + 1);
    if (max > MAX_DEPTH) return max;
    for (const child of Object.values(node as Record<string, unknown>)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Parses a verified ingest body: JSON (an object or an array), or a form whose keys are PHP-style
 * nested paths, percent-encoded or not (`leads%5Bstatus%5D%5B0%5D%5Bid%5D=1` → `{leads: {status: [{id: '1'}]}}`).
 */
export function parsePayload(raw: Buffer, kind: BodyKind): unknown {
  const text = raw.toString('utf8');
  if (kind === 'json') {
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
  if (text.includes('\uFFFD') && !/%EF%BF%BD/i.test(text)) {
    throw ApiError.validation('The form body is not valid UTF-8.', [{ field: 'body', message: 'body must be UTF-8' }]);
  }
  try {
    const value = parseQuery(text, {
      depth: MAX_DEPTH,
      strictDepth: true,
      arrayLimit: 1000,
      parameterLimit: 10_000,
      allowPrototypes: false,
      allowDots: false,
    });
    return value;
  } catch {
    throw tooDeep();
  }
}

function tooDeep(): ApiError {
  return ApiError.validation(`The request body nests deeper than ${MAX_DEPTH} levels.`, [
    { field: 'body', message: `body must not nest deeper than ${MAX_DEPTH} levels` },
  ]);
}
