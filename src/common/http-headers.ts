import type { ErrorDetail } from './api-error';

/** RFC 9110 §5.6.2 `token`: what a header name is made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/**
 * RFC 9110 §5.5 `field-value` limited to US-ASCII (no obs-text): visible characters with spaces or
 * tabs between them and none at either end; no CR, LF, NUL or other control character.
 */
const FIELD_VALUE = /^(?:[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?)?$/;

export const MAX_EXTRA_HEADERS = 50;
export const MAX_HEADER_NAME_LENGTH = 100;
export const MAX_HEADER_VALUE_LENGTH = 2000;

/**
 * Header names a subscription's extra headers may not set: Hookhub's own (body type, signature,
 * routing, trace) and those HTTP itself manages (undici refuses `transfer-encoding`, `keep-alive`,
 * `upgrade`, `expect`; a framing header would break every delivery).
 */
const RESERVED_HEADER =
  /^(?:content-(?:type|length|encoding)|host|user-agent|transfer-encoding|connection|keep-alive|proxy-connection|upgrade|expect|te|trailer|x-webhook-.*|x-event-id|x-delivery-.*|x-request-id|webhook-.*)$/i;

/** Whether `name` is one of Hookhub's own delivery headers (or one HTTP manages): never a subscriber's extra header. */
export function isReservedHeader(name: string): boolean {
  return RESERVED_HEADER.test(name);
}

/** What an API answer shows in place of an extra header's value; in a PATCH it keeps the stored value. */
export const MASKED_VALUE = '••••';

/** What the attempt log keeps in place of a subscription's extra header values. */
export const REDACTED_VALUE = '[redacted]';

/**
 * The request headers of a delivery attempt as the log keeps and shows them: Hookhub's own headers
 * as sent, the subscription's extra headers (write-only secrets, such as an `Authorization`) by name
 * only.
 */
export function redactExtraHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, isReservedHeader(name) ? value : REDACTED_VALUE]),
  );
}

/** A header name as an error detail can show it: printable and not too long. */
function shown(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_HEADER_NAME_LENGTH ? `${printable.slice(0, MAX_HEADER_NAME_LENGTH)}…` : printable;
}

function nameProblem(name: string): string | undefined {
  if (name.length > MAX_HEADER_NAME_LENGTH) return `a header name has at most ${MAX_HEADER_NAME_LENGTH} characters`;
  if (!TOKEN.test(name)) {
    return "a header name must be an RFC 9110 token: letters, digits and !#$%&'*+-.^_`|~ only (no spaces, colons or control characters)";
  }
  if (isReservedHeader(name)) {
    return `${name} is set by Hookhub or by HTTP itself and cannot be overridden (Content-*, Host, User-Agent, Connection, Transfer-Encoding, X-Webhook-*, X-Delivery-*, X-Event-ID, X-Request-ID, webhook-*)`;
  }
  return undefined;
}

function valueProblem(value: unknown, patch: boolean): string | undefined {
  if (value === null) return patch ? undefined : 'a header value must be a string';
  if (typeof value !== 'string')
    return `a header value must be a string${patch ? ' (or null to remove the header)' : ''}`;
  if (patch && value === MASKED_VALUE) return undefined;
  if (value.length > MAX_HEADER_VALUE_LENGTH) return `a header value has at most ${MAX_HEADER_VALUE_LENGTH} characters`;
  if (FIELD_VALUE.test(value)) return undefined;
  if (/[^\t\x20-\x7e]/.test(value)) {
    return [...value].some((c) => c !== '\t' && (c < ' ' || c === '\x7f'))
      ? 'a header value must not contain control characters (CR, LF, NUL, …): visible US-ASCII, spaces and tabs only'
      : 'a header value must be US-ASCII: visible characters, spaces and tabs only';
  }
  return 'a header value must not start or end with a space or tab';
}

/**
 * What is wrong with a subscription's extra headers (RFC 9110 names and values, reserved names, at
 * most 50, each name once whatever its case), one detail per header: `{field: "headers.<name>"}`.
 * In a `patch` a null value (remove the header) and MASKED_VALUE (keep it) are allowed too.
 */
export function headerProblems(headers: Record<string, unknown>, options: { patch: boolean }): ErrorDetail[] {
  const entries = Object.entries(headers);
  if (entries.length > MAX_EXTRA_HEADERS) {
    return [{ field: 'headers', message: `at most ${MAX_EXTRA_HEADERS} headers` }];
  }
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  for (const [name, value] of entries) {
    const field = `headers.${shown(name)}`;
    const problem = nameProblem(name) ?? valueProblem(value, options.patch);
    if (problem) problems.push({ field, message: problem });
    else if (seen.has(name.toLowerCase())) {
      problems.push({ field, message: `${name} is given twice: header names do not depend on letter case` });
    }
    seen.add(name.toLowerCase());
  }
  return problems;
}
