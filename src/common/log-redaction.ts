/**
 * What the request logger (pino-http) may write of a request: its URL and query with secret
 * parameters redacted, and header values only for headers that never carry secrets.
 */

/** What a redacted value is written as. */
export const LOG_REDACTED = '[redacted]';

/**
 * Query parameters whose values are never logged, matched against the name as the application
 * reads it and in any other spelling: `token` (url-token sources), `hub.verify_token` (WhatsApp's
 * handshake), and anything else named like a credential.
 */
const SECRET_PARAMETER = /token|secret|passw|api[-_.]?key|signature|credential/;

/** Percent-decoding of one level (`%XX` and `%uXXXX`, `+` as space) that never throws on malformed input. */
function decodeOnce(text: string): string {
  return text
    .replace(/\+/g, ' ')
    .replace(/%u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    .replace(/%([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * A parameter name as it could be meant: decoded until nothing changes (so `%74oken`, `%2574oken`
 * and `hub%2Everify_token` are all seen for what they spell), lower-case.
 */
function plainName(raw: string): string {
  let name = raw;
  for (let i = 0; i < 10; i += 1) {
    const decoded = decodeOnce(name);
    if (decoded === name) break;
    name = decoded;
  }
  return name.toLowerCase();
}

/** Whether a query parameter of this name (in any encoding or letter case) carries a secret. */
export function isSecretParameter(name: string): boolean {
  return SECRET_PARAMETER.test(plainName(name));
}

/**
 * `name=value` pairs of `text` with the values of secret names redacted. `;` and `?` separate pairs
 * too: a secret never hides behind a separator the query parser does not know (`?a=1;token=…`
 * parses as `a` = `1;token=…`).
 */
function redactPairs(text: string): string {
  return text.replace(/([^&;?=]*)=([^&;?]*)/g, (pair, name: string) =>
    isSecretParameter(name) ? `${name}=${LOG_REDACTED}` : pair,
  );
}

/** `url` with the value of every secret query parameter (see isSecretParameter) written as `[redacted]`. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  return start === -1 ? url : `${url.slice(0, start + 1)}${redactPairs(url.slice(start + 1))}`;
}

/**
 * A parsed query (Express' `req.query`) with the values of secret parameters, at any depth, redacted,
 * and secret pairs inside other values (`{a: "1;token=…"}`) too.
 */
export function redactQuery(query: unknown, depth = 0): unknown {
  if (typeof query === 'string') return query.includes('=') ? redactPairs(query) : query;
  if (typeof query !== 'object' || query === null) return query;
  if (depth > 8) return LOG_REDACTED;
  if (Array.isArray(query)) return query.map((item) => redactQuery(item, depth + 1));
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [
      name,
      isSecretParameter(name) ? LOG_REDACTED : redactQuery(value, depth + 1),
    ]),
  );
}

/**
 * Request headers whose values are written to logs. Any other header is logged by name with its value
 * redacted: a shared-token source reads its secret from a header the tenant names (`verification.header`),
 * so no fixed list of secret headers can be complete.
 */
export const LOGGED_HEADERS = new Set([
  'host',
  'connection',
  'content-type',
  'content-length',
  'content-encoding',
  'accept',
  'accept-encoding',
  'accept-language',
  'user-agent',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'traceparent',
  'idempotency-key',
  'x-webhook-id',
  'x-webhook-event-id',
  'x-webhook-timestamp',
  'x-org-id',
  'x-github-event',
  'x-github-delivery',
  'x-github-hook-id',
  'x-slack-request-timestamp',
  'x-slack-retry-num',
  'x-slack-retry-reason',
  'webhook-id',
  'webhook-timestamp',
]);

export function loggedHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers) return headers;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      LOGGED_HEADERS.has(name.toLowerCase()) ? value : '[Redacted]',
    ]),
  );
}

/** Fields never written to logs, whatever the serializers above leave. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

/** pino-http's request serializer: the standard fields, with the URL, query and headers redacted. */
export function serializeRequest(req: { url?: string; query?: unknown; headers?: Record<string, unknown> }): object {
  return Object.assign(req, {
    url: req.url === undefined ? undefined : redactUrl(req.url),
    query: redactQuery(req.query),
    headers: loggedHeaders(req.headers),
  });
}
