import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Agent, request } from 'undici';
import { storableJson, storableText } from './storable';
import { FORBIDDEN_ADDRESS_CODE, guardedLookup, isForbiddenAddress } from './url-guard';

/** Why a send failed. */
export type SendErrorKind = 'timeout' | 'connection' | 'refused_address' | 'redirect' | 'http_status' | 'invalid_url';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** What a send came to; a caller recording other failures than the sender's widens `ErrorKind`. */
export interface SendResult<ErrorKind extends string = SendErrorKind> {
  /** 2xx within timeoutMs. */
  ok: boolean;
  /** `null` when no response arrived. */
  httpStatus: number | null;
  /** Whole milliseconds from the start of the attempt to its end (body read or failure). */
  responseTimeMs: number;
  /** Human text: "timed out after 1000 ms", "connection refused", "redirect (302) not followed", "HTTP 500"… */
  error: string | null;
  errorKind: ErrorKind | null;
  /** Lower-case names; repeated headers joined with ", ". */
  responseHeaders: Record<string, string>;
  /** At most {@link MAX_RESPONSE_BODY_BYTES} bytes of the body, decoded as UTF-8 (invalid bytes as U+FFFD). */
  responseBody: string;
  /** The raw Retry-After header, if any. */
  retryAfter: string | undefined;
}

export interface HttpSenderOptions {
  /** ALLOW_PRIVATE_URLS: when false, private/loopback/metadata destinations are refused at connect time. */
  allowPrivate: boolean;
  /** ALLOW_HTTP_URLS: when false, plain http destinations are refused (default true). */
  allowHttp?: boolean;
  /** Keep-alive connections per origin (default 32). */
  connectionsPerOrigin?: number;
}

/** How much of a response body is read and kept; the rest is never downloaded. */
export const MAX_RESPONSE_BODY_BYTES = 4096;

/** Headers undici manages itself (or refuses) and a subscription must not override. */
const MANAGED_HEADERS = new Set([
  'host',
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'content-length',
]);

interface Failure {
  kind: SendErrorKind;
  message: string;
}

const CONNECTION_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed by the server',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
};

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);

/** The error's code, looking into `cause` and into an AggregateError's first error (happy-eyeballs connects). */
function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string') return code;
  if (Array.isArray(errors) && errors.length > 0) return errorCode(errors[0]);
  return cause === undefined ? undefined : errorCode(cause);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const CERTIFICATE_CODES = /CERT|SIGNATURE|ISSUER|ALTNAME/;

/** Text for an error that has no entry in {@link CONNECTION_MESSAGES}: TLS failures read as such, the rest as given. */
function describeOther(error: unknown, code: string | undefined): string {
  const detail = errorMessage(error).split('\n')[0].trim() || 'unknown error';
  if (code?.startsWith('ERR_SSL_'))
    return `TLS error: ${code.slice('ERR_SSL_'.length).toLowerCase().replace(/_/g, ' ')}`;
  if (code?.startsWith('ERR_TLS_') || (code !== undefined && CERTIFICATE_CODES.test(code)))
    return `TLS error: ${detail}`;
  if (code === 'UND_ERR_INVALID_ARG') return `invalid request: ${detail}`;
  return code && !detail.includes(code) ? `${detail} (${code})` : detail;
}

function classifyError(error: unknown, timedOut: boolean, timeoutMs: number): Failure {
  const code = errorCode(error);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return { kind: 'timeout', message: `timed out after ${timeoutMs} ms` };
  }
  if (code === FORBIDDEN_ADDRESS_CODE) return { kind: 'refused_address', message: errorMessage(error) };
  const known = code === undefined ? undefined : CONNECTION_MESSAGES[code];
  return { kind: 'connection', message: known ?? describeOther(error, code) };
}

/** Refuses, before any connection, URLs that are not http(s) and forbidden IP literals (net.connect skips `lookup` for those). */
function preflight(url: string, allowPrivate: boolean, allowHttp: boolean): Failure | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'invalid_url', message: 'invalid url' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { kind: 'invalid_url', message: `unsupported url scheme ${parsed.protocol}` };
  }
  if (parsed.protocol === 'http:' && !allowHttp) {
    return { kind: 'invalid_url', message: 'http urls are refused (set ALLOW_HTTP_URLS=true to allow them)' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return { kind: 'invalid_url', message: 'url must not contain credentials' };
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivate && isIP(host) !== 0 && isForbiddenAddress(host)) {
    return { kind: 'refused_address', message: `refused address ${host} (private or loopback)` };
  }
  return undefined;
}

function outgoingHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !MANAGED_HEADERS.has(name.toLowerCase())));
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Reads at most `limit` bytes as UTF-8 (a character cut at the limit is dropped), then destroys the stream. */
async function readLimited(body: Readable, limit: number): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let received = 0;
  for await (const chunk of body) {
    const bytes = chunk as Buffer;
    const wanted = Math.min(bytes.length, limit - received);
    text += decoder.write(bytes.subarray(0, wanted));
    received += wanted;
    if (received >= limit) {
      body.destroy();
      return text;
    }
  }
  return text + decoder.end();
}

function statusOutcome(status: number): Failure | undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status >= 300 && status < 400) return { kind: 'redirect', message: `redirect (${status}) not followed` };
  return { kind: 'http_status', message: `HTTP ${status}` };
}

/**
 * Sends webhook POSTs with undici: one Agent with keep-alive pools per origin, connect-time SSRF
 * check via guardedLookup(allowPrivate) plus a check of IP-literal hosts, redirects never followed
 * (3xx is a failed attempt), headersTimeout/bodyTimeout and an overall AbortSignal.timeout so a
 * hanging server or a trickling body ends as 'timeout', response body read up to 4 KiB. The text of
 * a result (body, headers, error) is storable: NUL and lone surrogates become U+FFFD (common/storable.ts).
 * Never throws: every failure is a SendResult.
 */
export class HttpSender {
  private readonly agent: Agent;
  private readonly allowPrivate: boolean;
  private readonly allowHttp: boolean;

  constructor(options: HttpSenderOptions) {
    this.allowPrivate = options.allowPrivate;
    this.allowHttp = options.allowHttp ?? true;
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 32,
      // The attempt's own timeout (≤ 30 s) decides; this only bounds a connect nobody waits for any more.
      connect: { lookup: guardedLookup(options.allowPrivate), timeout: 30_000 },
    });
  }

  async send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const refused = preflight(req.url, this.allowPrivate, this.allowHttp);
    const fields = refused ? { error: refused.message, errorKind: refused.kind } : await this.attempt(req);
    const result: SendResult = {
      ok: false,
      httpStatus: null,
      error: null,
      errorKind: null,
      responseHeaders: {},
      responseBody: '',
      retryAfter: undefined,
      ...fields,
      responseTimeMs: Math.round(performance.now() - started),
    };
    // the peer chose these bytes (or, in an error, the text quotes them): PostgreSQL must be able to store them
    result.responseBody = storableText(result.responseBody);
    result.responseHeaders = storableJson(result.responseHeaders);
    result.error = storableText(result.error);
    return result;
  }

  /** One POST; everything of the result but its timing. */
  private async attempt(req: SendRequest): Promise<Partial<SendResult>> {
    const signal = AbortSignal.timeout(req.timeoutMs);
    let httpStatus: number | null = null;
    let responseHeaders: Record<string, string> = {};
    try {
      const response = await request(req.url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: outgoingHeaders(req.headers),
        body: req.body,
        signal,
        headersTimeout: req.timeoutMs,
        bodyTimeout: req.timeoutMs,
      });
      httpStatus = response.statusCode;
      responseHeaders = flattenHeaders(response.headers);
      const responseBody = await readLimited(response.body, MAX_RESPONSE_BODY_BYTES);
      const failure = statusOutcome(httpStatus);
      const outcome = { ok: failure === undefined, error: failure?.message ?? null, errorKind: failure?.kind ?? null };
      return { ...outcome, httpStatus, responseHeaders, responseBody, retryAfter: responseHeaders['retry-after'] };
    } catch (error) {
      const failure = classifyError(error, signal.aborted, req.timeoutMs);
      const retryAfter = responseHeaders['retry-after'];
      return { httpStatus, error: failure.message, errorKind: failure.kind, responseHeaders, retryAfter };
    }
  }

  /** Closes every pooled connection once in-flight requests have finished. */
  async close(): Promise<void> {
    await this.agent.close();
  }
}
