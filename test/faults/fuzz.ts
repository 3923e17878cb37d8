import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { isErrorEnvelope, isSuccessEnvelope } from './helpers';

/**
 * Shared pieces of the fuzz specs: arbitraries for hostile input (strings, values, JSON texts with
 * deep nesting, bodies in broken encodings, content types, headers, query strings), a raw HTTP
 * client that sends exactly those bytes, and the contract check every answer must pass.
 */

/** fast-check settings: a fixed seed (FUZZ_SEED overrides it) and a bounded number of runs (FUZZ_RUNS). */
export function fuzzParameters<T>(numRuns = 150): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_250_917;
  return {
    seed,
    numRuns: Number(process.env.FUZZ_RUNS ?? numRuns),
    endOnFailure: false,
    interruptAfterTimeLimit: 120_000,
  };
}

// ---------------------------------------------------------------------------------------------
// values

/** Percent-encodes the UTF-8 bytes of any string (a lone surrogate becomes U+FFFD, where encodeURIComponent throws). */
export function pct(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/** Strings that tend to break things: NUL, lone surrogates, control characters, injections, huge. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 40 }) },
  {
    // what PostgreSQL refuses in text and jsonb: NUL, and lone surrogates (as \ud800 escapes)
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 6 }),
        fc.constantFrom('\u0000', '\ud800', '\udfff', '\u0000\u0000'),
        fc.string({ maxLength: 6 }),
      )
      .map((parts) => parts.join('')),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfffy',
      '\ufeff',
      '\r\n',
      'null',
      'undefined',
      'NaN',
      '-1',
      '1e309',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      '../../etc/passwd',
      '%00',
      '%',
      '%zz',
      '{{data.x}}',
      '{{#each a}}{{/each}}',
      '${process.exit()}',
      "' OR 1=1 --",
      '\\',
      '"',
      '😀',
      'é',
      'deal.won',
      '*',
      'wh_00000000000000000000000000',
      'src_00000000000000000000000000',
      '2025-13-45T99:99:99Z',
      'https://example.com/hook',
      'http://169.254.169.254/latest',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

/** Stands for a RawJson piece inside JSON.stringify's output (plain characters: nothing escapes them). */
const RAW_MARK = `RAWJSON${Math.random().toString(36).slice(2)}_`;

/** A piece of JSON text spliced in as it is (deep nesting is built as text, never as objects). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `depth` levels of arrays or objects, as JSON text. */
export const deepJson: fc.Arbitrary<RawJson> = fc
  .record({
    // around the ingest limit (32), or anything up to 100,000 (shrinks to the smallest depth that fails)
    depth: fc.oneof(fc.integer({ min: 30, max: 40 }), fc.integer({ min: 1, max: 100_000 })),
    kind: fc.constantFrom('array', 'object', 'mixed'),
  })
  .map(({ depth, kind }) => {
    const open = kind === 'array' ? '[' : kind === 'object' ? '{"a":' : '{"a":[';
    const close = kind === 'array' ? ']' : kind === 'object' ? '}' : ']}';
    return new RawJson(open.repeat(depth) + '1' + close.repeat(depth));
  });

/** Any JSON value of the wrong type for a field (or the right one by chance). */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53 + 1, 1e308)) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 5 }) },
  { weight: 1, arbitrary: deepJson },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }).map((n) => Array.from({ length: n }, (_, i) => i)) },
);

/** JSON text of `value`, with RawJson pieces spliced in. */
export function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RawJson) {
      raws.push(v.text);
      return `${RAW_MARK}${raws.length - 1}`;
    }
    return v;
  });
  if (text === undefined) return 'null';
  return raws.length === 0
    ? text
    : text.replace(new RegExp(`"${RAW_MARK}(\\d+)"`, 'g'), (_m, i: string) => raws[Number(i)]);
}

/**
 * A body made from a valid one: fields dropped, set to hostile values, unknown fields added, the
 * whole body replaced by something else, or left alone.
 */
export function mutatedObject(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const fieldEdits = fc.array(
    fc.record({
      key: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys) }, { weight: 1, arbitrary: nastyString }),
      action: fc.constantFrom('set', 'set', 'set', 'drop'),
      value: nastyValue,
    }),
    { minLength: 0, maxLength: 4 },
  );
  return fc.oneof(
    { weight: 6, arbitrary: fieldEdits.map((edits) => applyEdits(valid, edits)) },
    { weight: 1, arbitrary: nastyValue },
    { weight: 1, arbitrary: fc.constant(valid) },
  );
}

function applyEdits(
  valid: Record<string, unknown>,
  edits: { key: string; action: string; value: unknown }[],
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...valid };
  for (const edit of edits) {
    if (edit.action === 'drop') delete body[edit.key];
    else
      Object.defineProperty(body, edit.key, {
        value: edit.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return body;
}

// ---------------------------------------------------------------------------------------------
// bytes on the wire

/** How the JSON text is turned into bytes. */
export const encodedBody = (text: string): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(Buffer.from(text, 'utf8')) },
    {
      weight: 1,
      // invalid UTF-8 sequences at random places
      arbitrary: fc
        .array(
          fc.record({
            at: fc.nat(),
            bytes: fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80]),
          }),
          { minLength: 1, maxLength: 3 },
        )
        .map((inserts) => {
          let bytes = Buffer.from(text, 'utf8');
          for (const { at, bytes: bad } of inserts) {
            const i = bytes.length === 0 ? 0 : at % bytes.length;
            bytes = Buffer.concat([bytes.subarray(0, i), Buffer.from(bad), bytes.subarray(i)]);
          }
          return bytes;
        }),
    },
    { weight: 1, arbitrary: fc.constant(Buffer.from(text, 'utf16le')) },
    { weight: 1, arbitrary: fc.constant(Buffer.from(text, 'latin1')) },
    { weight: 1, arbitrary: fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])) },
    { weight: 1, arbitrary: fc.nat().map((n) => Buffer.from(text, 'utf8').subarray(0, n % (text.length + 1))) },
  );

/** Arbitrary bytes, form-looking text, or nothing. */
export const rawBytes: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(0)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => Buffer.from(s)),
);

/** Form bodies: PHP-style nested keys (Kommo), percent-encoded or not, broken escapes, deep keys. */
export const formBody: fc.Arbitrary<Buffer> = fc
  .array(
    fc.record({
      path: fc.array(fc.oneof(nastyString, fc.nat({ max: 2000 }).map(String)), { minLength: 1, maxLength: 4 }),
      deep: fc.oneof(
        { weight: 6, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.integer({ min: 30, max: 2000 }) },
      ),
      value: nastyString,
      encode: fc.boolean(),
    }),
    { maxLength: 12 },
  )
  .chain((pairs) =>
    fc.constantFrom('', '&', '&&', '=', '%', '%E0%A4%A', '%C0%AF', '[]=1', 'a[=1').map((junk) => {
      const text = pairs
        .map(({ path, deep, value, encode }) => {
          const key =
            path[0] +
            path
              .slice(1)
              .map((p) => `[${p}]`)
              .join('') +
            '[a]'.repeat(deep);
          return encode ? `${pct(key)}=${pct(value)}` : `${key}=${value}`;
        })
        .join('&');
      return Buffer.from(text + junk, 'utf8');
    }),
  );

/** Big bodies around and past MAX_BODY_BYTES (1 MiB by default). */
export const hugeBody: fc.Arbitrary<Buffer> = fc
  .record({ unit: fc.string({ minLength: 1, maxLength: 4 }), bytes: fc.integer({ min: 900_000, max: 1_400_000 }) })
  .map(({ unit, bytes }) => {
    const filler = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))).slice(0, bytes);
    return Buffer.from(JSON.stringify({ event_type: 'big.one', filler }), 'utf8');
  });

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      '',
      'application/json; charset=utf-8',
      'application/json; charset=UTF-16',
      'application/json; charset=latin1',
      'application/json; charset=bogus-42',
      'APPLICATION/JSON',
      'application/vnd.api+json',
      'application/json;;;',
      'application/x-www-form-urlencoded',
      'application/x-www-form-urlencoded; charset=iso-8859-1',
      'text/plain',
      'text/html',
      'multipart/form-data; boundary=xyz',
      'application/octet-stream',
      'application/xml',
      '*/*',
      'json',
      'application/',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 30 }) },
);

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".split('');
/** Headers a client may not send freely (framing) or that this client sets itself. */
const FRAMING = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
  'content-type',
  'http2-settings',
]);

/** A header value Node lets through: tab, visible ASCII and obs-text (0x80–0xff as latin1). */
export const headerValue: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc
    .array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9)), {
      maxLength: 60,
    })
    .map((codes) => String.fromCharCode(...codes)),
  fc.integer({ min: 1, max: 8000 }).map((n) => 'h'.repeat(n)),
  nastyString.filter((s) => /^[\t\x20-\x7e\x80-\xff]*$/.test(s)),
);

const headerName: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'content-encoding',
      'x-request-id',
      'idempotency-key',
      'authorization',
      'x-api-key',
      'x-webhook-id',
      'x-webhook-event',
      'x-webhook-event-id',
      'x-webhook-signature',
      'x-webhook-timestamp',
      'x-org-id',
      'x-hub-signature-256',
      'x-github-delivery',
      'x-github-event',
      'stripe-signature',
      'x-slack-signature',
      'x-slack-request-timestamp',
      'x-telegram-bot-api-secret-token',
      'x-signature',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'accept',
      'accept-charset',
      'x-forwarded-for',
      'x-http-method-override',
    ),
  },
);

export const randomHeaders: fc.Arbitrary<[string, string][]> = fc
  .array(fc.tuple(headerName, headerValue), { maxLength: 6 })
  .map((pairs) => pairs.filter(([name]) => !FRAMING.has(name.toLowerCase())));

/** A path segment: ids that exist, near misses, and anything percent-encoded or not. */
export function pathSegment(valid: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...valid) },
    { weight: 3, arbitrary: nastyString.map((s) => pct(s)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('%', '%zz', '%c0%af', '%00', '%ff', '..', '.', '%2e%2e', 'a%2Fb', '%E2%82'),
    },
  );
}

/** A query string: the route's own parameters and others, with odd values, repeated keys and nested keys. */
export function queryString(params: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...params, 'limit', 'offset', 'page') },
    { weight: 1, arbitrary: nastyString.map((s) => pct(s)) },
  );
  const value = fc.oneof(
    { weight: 3, arbitrary: nastyString.map((s) => pct(s)) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '0',
        '-1',
        '1',
        '100',
        '101',
        '1e3',
        '1.5',
        'abc',
        '',
        '%',
        '%zz',
        'true',
        'yes',
        '%00',
      ),
    },
    { weight: 1, arbitrary: fc.integer().map(String) },
  );
  const pair = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}=${v}`) },
    { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}[]=${v}&${k}[]=${v}`) },
    { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}[a][b][c][d][e][f][g]=${v}`) },
    { weight: 1, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}[$ne]=${v}`) },
    { weight: 1, arbitrary: key },
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => (pairs.length === 0 ? '' : `?${pairs.join('&')}`));
}

// ---------------------------------------------------------------------------------------------
// the wire and the contract

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: [string, string][];
  contentType?: string;
  body?: Buffer;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Node's HTTP parser answers a request head over 16 KiB (URL and headers) itself, 431 with no body,
 * before the app sees it; the properties keep to requests the app gets to answer.
 */
export function fitsNodeHeadLimit(req: RawRequest): boolean {
  const headers = (req.headers ?? []).reduce(
    (n, [name, value]) => n + name.length + Buffer.byteLength(value, 'latin1') + 4,
    0,
  );
  return req.path.length + headers + (req.contentType?.length ?? 0) + 300 < 16 * 1024;
}

/** Sends exactly these bytes (no client-side encoding), and reads the whole answer. */
export function rawRequest(port: number, req: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: [string, string][] = [...(req.headers ?? [])];
    if (req.contentType !== undefined) headers.push(['content-type', req.contentType]);
    if (req.body !== undefined) headers.push(['content-length', String(req.body.length)]);
    // repeated names go out as repeated header lines
    const grouped = Object.create(null) as Record<string, string[]>;
    for (const [name, value] of headers) (grouped[name.toLowerCase()] ??= []).push(value);
    let answered = false;
    const r = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.path, headers: grouped, agent },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    // the server may answer (413) and close before it read the whole body
    r.on('error', (error) => (answered ? undefined : reject(error)));
    r.setTimeout(30_000, () => r.destroy(new Error('no answer within 30 s')));
    r.end(req.body);
  });
}

/** Starts listening on a free port; returns it. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export function closeAgent(): void {
  agent.destroy();
}

/**
 * The contract every answer keeps (docs/api.md): never a 5xx; a 4xx is the error envelope, a 2xx
 * the success envelope (`raw2xx` routes may answer 2xx as they are: Slack's challenge, WhatsApp's
 * hub.challenge); and meta.trace_id is the X-Request-ID the answer carries.
 * Returns the problem, or null.
 */
export function contractProblem(answer: RawAnswer, options: { raw2xx?: boolean } = {}): string | null {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status < 200) return `status ${answer.status}`;
  const is2xx = answer.status < 300;
  if (is2xx && options.raw2xx) return null;
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${JSON.stringify(answer.text.slice(0, 200))}`;
  }
  if (is2xx ? !isSuccessEnvelope(body) : !isErrorEnvelope(body)) {
    return `status ${answer.status} without the ${is2xx ? 'success' : 'error'} envelope: ${answer.text.slice(0, 300)}`;
  }
  const traceId = (body as { meta: { trace_id: string } }).meta.trace_id;
  if (answer.headers['x-request-id'] !== traceId) {
    return `meta.trace_id ${JSON.stringify(traceId)} is not the X-Request-ID header ${JSON.stringify(answer.headers['x-request-id'])}`;
  }
  return null;
}

/** Throws (a fast-check counterexample) when the answer breaks the contract. */
export function assertContract(answer: RawAnswer, options: { raw2xx?: boolean } = {}): void {
  const problem = contractProblem(answer, options);
  if (problem) throw new Error(problem);
}

/** What the properties got back, `<status> <code>` → count (printed with FUZZ_STATS=1). */
export const answerStats = new Map<string, number>();

/** Sends a request the app gets to answer (see fitsNodeHeadLimit) and checks the answer against the contract. */
export async function checkRequest(port: number, req: RawRequest, options: { raw2xx?: boolean } = {}): Promise<void> {
  fc.pre(fitsNodeHeadLimit(req));
  const answer = await rawRequest(port, req);
  if (process.env.FUZZ_STATS) {
    let code = '';
    try {
      code = (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code ?? '';
    } catch {
      code = '(not json)';
    }
    const key = `${answer.status} ${code}`.trim();
    answerStats.set(key, (answerStats.get(key) ?? 0) + 1);
  }
  const problem = contractProblem(answer, options);
  if (problem) throw new Error(`${problem}\n    request: ${describeRequest(req)}`);
}

/** A readable one-line form of a request, for counterexamples (bodies as text, escapes visible). */
export function describeRequest(req: RawRequest): string {
  const body = req.body
    ? req.body.length > 400
      ? `${JSON.stringify(req.body.subarray(0, 200).toString('utf8'))}… (${req.body.length} bytes)`
      : JSON.stringify(req.body.toString('utf8'))
    : 'none';
  const headers = (req.headers ?? []).filter(
    ([name, value]) => !(name === 'authorization' && /^Bearer hh_/.test(value)),
  );
  return `${req.method} ${req.path.length > 300 ? `${req.path.slice(0, 300)}…` : req.path} content-type=${JSON.stringify(req.contentType)} headers=${JSON.stringify(headers.map(([n, v]) => [n, v.length > 100 ? `${v.slice(0, 100)}… (${v.length})` : v]))} body=${body}`;
}

/** Prints and clears answerStats when FUZZ_STATS is set. */
export function printAnswerStats(label: string): void {
  if (!process.env.FUZZ_STATS) return;
  process.stdout.write(`${label}: ${JSON.stringify(Object.fromEntries([...answerStats].sort()))}\n`);
  answerStats.clear();
}

/** Checks an async property with fuzzParameters; prints the answers it got with FUZZ_STATS=1. */
export async function assertProperty<Ts extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  numRuns = 150,
): Promise<void> {
  try {
    await fc.assert(property, fuzzParameters<Ts>(numRuns));
  } finally {
    printAnswerStats(expect.getState().currentTestName ?? '');
  }
}
