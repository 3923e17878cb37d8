import type { ErrorDetail } from '../common/api-error';
import { MASKED_VALUE } from '../common/http-headers';
import { isSealed, SecretBox } from '../common/secret-box';

/**
 * A subscription's extra headers as stored (`subscriptions.headers`): name → value sealed with the
 * SecretBox. Rows written before values were sealed may still hold plain values: they are read as
 * they are and sealed on the next write (and by {@link plainHeaderNames}' start-up pass).
 */
export type StoredHeaders = Record<string, string>;

/** The names of `stored` whose values are not sealed yet. */
export function plainHeaderNames(stored: StoredHeaders): string[] {
  return Object.entries(stored)
    .filter(([, value]) => !isSealed(value))
    .map(([name]) => name);
}

/** Every value sealed: plain ones (written before sealing) sealed now, sealed ones kept as they are. */
export function sealAll(box: SecretBox, stored: StoredHeaders): StoredHeaders {
  return Object.fromEntries(
    Object.entries(stored).map(([name, value]) => [name, isSealed(value) ? value : box.seal(value)]),
  );
}

/**
 * The headers after a create (`stored` empty) or a PATCH: a string sets (or replaces, whatever the
 * letter case of its name) a header, null removes it, MASKED_VALUE keeps the stored value, and a
 * header not named is kept. Values are sealed. `problems` names a MASKED_VALUE with nothing to keep.
 */
export function nextHeaders(
  box: SecretBox,
  stored: StoredHeaders,
  given: Record<string, string | null>,
): { headers: StoredHeaders; problems: ErrorDetail[] } {
  const headers = sealAll(box, stored);
  const problems: ErrorDetail[] = [];
  for (const [name, value] of Object.entries(given)) {
    const current = Object.keys(headers).find((existing) => existing.toLowerCase() === name.toLowerCase());
    if (value === MASKED_VALUE) {
      if (current === undefined) {
        problems.push({
          field: `headers.${name}`,
          message: `${MASKED_VALUE} keeps a stored value, and ${name} has none: send the value itself`,
        });
      }
      continue;
    }
    if (current !== undefined) delete headers[current];
    if (value !== null) headers[name] = box.seal(value);
  }
  return { headers, problems };
}

/** The values to send: sealed ones opened (throws when ENCRYPTION_KEY cannot open them), plain ones as stored. */
export function openHeaders(box: SecretBox, stored: StoredHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(stored).map(([name, value]) => [name, isSealed(value) ? box.open(value) : value]),
  );
}

/** The headers as API answers show them: every name, every value masked. */
export function maskHeaders(stored: StoredHeaders): Record<string, string> {
  return Object.fromEntries(Object.keys(stored).map((name) => [name, MASKED_VALUE]));
}
