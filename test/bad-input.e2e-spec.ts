import { createHmac } from 'node:crypto';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import request from 'supertest';
import { MAX_OFFSET, MAX_PAGE } from '../src/common/pagination';
import { createTenant, startApp, TEST_ADMIN_KEY, TestApp, TestTenant } from './helpers/app';
import { inboundCount, inboundEvent } from './helpers/inbound';

/**
 * Bad input answers 4xx in the error envelope, never 500 (issue #17, docs/api.md): body encodings
 * on management and ingest routes, before and after authentication; `limit`/`offset`/`page` on every
 * list of the live OpenAPI document; extra header names and values of subscriptions; ingest paths
 * in other letter case.
 */

const SECRET = 'bad-input-source-secret';

function signed(body: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = createHmac('sha256', SECRET)
    .update(Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)]))
    .digest('hex');
  return { 'X-Webhook-Timestamp': String(timestamp), 'X-Webhook-Signature': `sha256=${signature}` };
}

interface Detail {
  field?: string;
  message: string;
}

/** Sends a Buffer body as it is (superagent would serialise it as JSON for a JSON content type). */
const asIs = (body: unknown): string => body as string;

/** An answer in the error envelope with this status and code (a 500 fails here, whatever was expected). */
function expectError(res: request.Response, status: number, code: string): Detail[] {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body).toEqual({
    error: { code, message: expect.any(String), details: expect.any(Array) },
    meta: { trace_id: expect.any(String) },
  });
  return res.body.error.details as Detail[];
}

const JSON_BODY = JSON.stringify({ event_type: 'bad.input', data: { n: 1 } });
/** Bytes that are not a valid stream of each encoding. */
const CORRUPT: Record<string, Buffer> = {
  gzip: Buffer.from('this is not gzip data at all'),
  deflate: Buffer.from('neither is this deflate data'),
  br: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
};
const TRUNCATED: Record<string, Buffer> = {
  gzip: gzipSync(JSON_BODY).subarray(0, 20),
  deflate: deflateSync(JSON_BODY).subarray(0, 10),
};
const UNSUPPORTED = ['compress', 'x-custom', 'gzip, br', 'zstd-but-not-really', 'identity, gzip'];

describe('Bad input (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let sourceId: string;
  let webhookId: string;

  beforeAll(async () => {
    t = await startApp({ ALLOW_HTTP_URLS: 'true', ALLOW_PRIVATE_URLS: 'true', MAX_BODY_BYTES: '64kb' });
    tenant = await createTenant(t.http);
    const source = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'bad input', provider: 'generic', verification: { scheme: 'hmac-sha256', secret: SECRET } })
      .expect(201);
    sourceId = source.body.data.source_id;
    const webhook = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'bad input', url: 'http://127.0.0.1:9/hook', events: ['bad.*'] })
      .expect(201);
    webhookId = webhook.body.data.webhook_id;
  });

  afterAll(async () => {
    await t.close();
  });

  // ─────────────────────────── Content-Encoding ───────────────────────────

  describe('Content-Encoding on management routes', () => {
    const post = (encoding: string, body: Buffer, auth: Record<string, string>) =>
      request(t.http)
        .post('/api/v1/events')
        .set(auth)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .serialize(asIs)
        .send(body);

    const auths = (): [string, Record<string, string>][] => [
      ['without a key', {}],
      ['with a wrong key', { Authorization: 'Bearer hh_not_a_key' }],
      ['with the tenant key', tenant.auth],
    ];

    it('answers 400 BAD_REQUEST naming Content-Encoding to a corrupt or truncated gzip, deflate or br body, before and after authentication', async () => {
      for (const [who, auth] of auths()) {
        for (const [encoding, body] of [...Object.entries(CORRUPT), ...Object.entries(TRUNCATED)]) {
          const res = await post(encoding, body, auth);
          const details = expectError(res, 400, 'BAD_REQUEST');
          expect({ who, encoding, details }).toEqual({
            who,
            encoding,
            details: [{ field: 'Content-Encoding', message: expect.stringContaining(encoding) }],
          });
        }
      }
    });

    it('answers 415 UNSUPPORTED_MEDIA_TYPE to an encoding it does not inflate, before and after authentication', async () => {
      for (const [who, auth] of auths()) {
        for (const encoding of UNSUPPORTED) {
          const res = await post(encoding, Buffer.from(JSON_BODY), auth);
          const details = expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
          expect({ who, encoding, field: details[0]?.field }).toEqual({ who, encoding, field: 'Content-Encoding' });
          expect(res.body.error.message).toMatch(/gzip, deflate or br/);
        }
      }
    });

    it('inflates a valid gzip, deflate or br body; a compressed body that is no JSON is INVALID_JSON, a compressed bomb 413', async () => {
      const compress: Record<string, (b: string | Buffer) => Buffer> = {
        gzip: gzipSync,
        deflate: deflateSync,
        br: brotliCompressSync,
      };
      for (const [encoding, squeeze] of Object.entries(compress)) {
        const ok = await post(encoding, squeeze(JSON_BODY), tenant.auth);
        expect({ encoding, status: ok.status, data: ok.body.data?.event_type ?? ok.body }).toEqual({
          encoding,
          status: 202,
          data: 'bad.input',
        });
        // the body is read (and refused) before the key is checked
        expectError(await post(encoding, squeeze('{"event_type": '), {}), 400, 'INVALID_JSON');
        // 64 kB allowed, 1 MB of zeros squeezed into about a kilobyte
        const bomb = squeeze(
          Buffer.concat([Buffer.from('{"event_type":"bad.bomb","data":"'), Buffer.alloc(1 << 20, 48)]),
        );
        expect(bomb.length).toBeLessThan(64 * 1024);
        expectError(await post(encoding, bomb, tenant.auth), 413, 'PAYLOAD_TOO_LARGE');
      }
    });

    it('answers the same on PATCH, and changes nothing', async () => {
      const patch = (encoding: string, body: Buffer) =>
        request(t.http)
          .patch(`/api/v1/webhooks/${webhookId}`)
          .set(tenant.auth)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .serialize(asIs)
          .send(body);
      expectError(await patch('gzip', CORRUPT.gzip), 400, 'BAD_REQUEST');
      expectError(await patch('compress', Buffer.from('{"name":"x"}')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      const got = await request(t.http).get(`/api/v1/webhooks/${webhookId}`).set(tenant.auth).expect(200);
      expect(got.body.data.name).toBe('bad input');
    });
  });

  describe('Content-Encoding on ingest routes', () => {
    const routes = (): { name: string; path: string; headers: Record<string, string> }[] => [
      { name: 'the canonical ingest path', path: `/api/v1/ingest/${sourceId}`, headers: {} },
      { name: 'the ingest path in capitals', path: `/API/V1/INGEST/${sourceId}`, headers: {} },
      {
        name: 'the generic incoming route',
        path: '/api/v1/webhooks/incoming/message',
        headers: { 'X-Webhook-ID': sourceId },
      },
      { name: 'a provider route', path: '/api/v1/integrations/kommo/webhook', headers: {} },
    ];

    it('answers 415 to any Content-Encoding but identity (signatures cover the bytes as sent), valid or corrupt, and stores nothing', async () => {
      const before = await inboundCount(t.http, tenant.auth, sourceId);
      for (const route of routes()) {
        for (const [encoding, body] of [
          ['gzip', gzipSync(JSON_BODY)],
          ['gzip', CORRUPT.gzip],
          ['deflate', CORRUPT.deflate],
          ['br', brotliCompressSync(JSON_BODY)],
          ['x-custom', Buffer.from(JSON_BODY)],
        ] as [string, Buffer][]) {
          const res = await request(t.http)
            .post(route.path)
            .set(route.headers)
            .set(signed(body))
            .set('Content-Type', 'application/json')
            .set('Content-Encoding', encoding)
            .serialize(asIs)
            .send(body);
          const details = expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
          expect({ route: route.name, encoding, details }).toEqual({
            route: route.name,
            encoding,
            details: [{ field: 'Content-Encoding', message: expect.stringMatching(/bytes as sent/) }],
          });
        }
      }
      expect(await inboundCount(t.http, tenant.auth, sourceId)).toBe(before);
      // identity is the bytes as they are
      const res = await request(t.http)
        .post(`/api/v1/ingest/${sourceId}`)
        .set(signed(JSON_BODY))
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'identity')
        .send(JSON_BODY);
      expect(res.status).toBe(202);
    });
  });

  // ─────────────────────────── lists ───────────────────────────

  describe('limit, offset and page on every list of the OpenAPI document', () => {
    interface Param {
      name: string;
      in: string;
      schema?: { type?: string; minimum?: number; maximum?: number };
    }
    interface ListRoute {
      path: string;
      params: Param[];
      /** The operator's lists (security `admin_key`) take the admin key, the others the tenant's. */
      admin: boolean;
    }

    /** Every GET whose 200 answer is a list (`meta.pagination`), from the live document. */
    async function listRoutes(): Promise<ListRoute[]> {
      const doc = (await request(t.http).get('/docs-json').expect(200)).body as {
        paths: Record<
          string,
          Record<
            string,
            { parameters?: Param[]; responses?: Record<string, unknown>; security?: Record<string, unknown>[] }
          >
        >;
      };
      return Object.entries(doc.paths)
        .filter(([, methods]) => JSON.stringify(methods.get?.responses?.['200'] ?? {}).includes('ListMetaDto'))
        .map(([path, methods]) => ({
          path,
          params: methods.get.parameters ?? [],
          admin: (methods.get.security ?? []).some((s) => 'admin_key' in s),
        }));
    }

    function authOf(route: ListRoute): Record<string, string> {
      return route.admin ? { Authorization: `Bearer ${TEST_ADMIN_KEY}` } : tenant.auth;
    }

    /** A list paginated by `cursor` (the tenant-wide logs) rather than by `offset`. */
    const isKeyset = (route: ListRoute): boolean => route.params.some((p) => p.in === 'query' && p.name === 'cursor');

    /** Ids of this tenant for the path parameters of list routes; a new one fails the test until it is added. */
    const ids = (): Record<string, string> => ({ webhook_id: webhookId, source_id: sourceId });

    function concrete(route: ListRoute): string {
      return route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
        const id = ids()[name];
        if (id === undefined) throw new Error(`${route.path}: no id for {${name}}: add one to ids()`);
        return id;
      });
    }

    const BAD: [string, string][] = [
      ['offset', '99999999999999999999'],
      ['offset', String(MAX_OFFSET + 1)],
      ['offset', '-1'],
      ['offset', 'abc'],
      ['offset', '1e3'],
      ['offset', '0x10'],
      ['offset', '1.5'],
      ['offset', ''],
      ['limit', '1e3'],
      ['limit', '101'],
      ['limit', '0'],
      ['limit', '-1'],
      ['limit', 'Infinity'],
      ['limit', ''],
    ];
    const BAD_CURSOR = [
      '',
      'abc',
      '1',
      'x'.repeat(500),
      Buffer.from('2025-02-30T00:00:00.000000Z x_1').toString('base64url'),
    ];
    const BAD_PAGE = ['1e20', '99999999999999999999', '0', '-1', String(MAX_PAGE + 1), 'x'];

    it('finds the lists: each documents limit (1–100) and offset (0–100000000) as integers', async () => {
      const routes = await listRoutes();
      expect(routes.map((r) => r.path)).toEqual(
        expect.arrayContaining([
          '/api/v1/webhooks',
          '/api/v1/webhooks/{webhook_id}/deliveries',
          '/api/v1/sources',
          '/api/v1/inbound-events',
          '/api/v1/notification-rules',
          '/api/v1/notifications',
          '/api/v1/tenants',
          '/api/v1/tenants/me/api-keys',
          '/api/v1/deliveries',
          '/api/v1/events',
        ]),
      );
      for (const route of routes) {
        const query = Object.fromEntries(route.params.filter((p) => p.in === 'query').map((p) => [p.name, p.schema]));
        // keyset-paginated logs take a cursor instead of an offset
        const position = isKeyset(route) ? { cursor: query.cursor } : { offset: query.offset };
        expect({ path: route.path, limit: query.limit, ...position }).toEqual({
          path: route.path,
          limit: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 100 }),
          ...(isKeyset(route)
            ? { cursor: expect.objectContaining({ type: 'string' }) }
            : { offset: expect.objectContaining({ type: 'integer', minimum: 0, maximum: MAX_OFFSET }) }),
        });
      }
    });

    it('answers 400 VALIDATION_FAILED naming the parameter to every bad limit, offset and page, on every list', async () => {
      const problems: string[] = [];
      let calls = 0;
      for (const route of await listRoutes()) {
        const path = concrete(route);
        const hasPage = route.params.some((p) => p.in === 'query' && p.name === 'page');
        const position: [string, string][] = isKeyset(route)
          ? BAD_CURSOR.map((value): [string, string] => ['cursor', `cursor=${encodeURIComponent(value)}`])
          : [
              ['offset', 'offset=1&offset=2'],
              ['offset', 'offset[a]=1'],
            ];
        const cases: [string, string][] = [
          ...BAD.filter(([name]) => name === 'limit' || !isKeyset(route)).map(([name, value]): [string, string] => [
            name,
            `${name}=${encodeURIComponent(value)}`,
          ]),
          ...position,
          ['limit', 'limit[]=5'],
          ...(hasPage ? BAD_PAGE.map((value): [string, string] => ['page', `page=${encodeURIComponent(value)}`]) : []),
        ];
        for (const [name, query] of cases) {
          const res = await request(t.http).get(`${path}?${query}`).set(authOf(route));
          calls += 1;
          const fields = ((res.body?.error?.details ?? []) as Detail[]).map((d) => d.field);
          if (res.status !== 400 || res.body.error.code !== 'VALIDATION_FAILED' || !fields.includes(name)) {
            problems.push(`${route.path}?${query}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
          }
        }
        // the bounds themselves are accepted
        const edges = [
          'limit=100',
          ...(isKeyset(route) ? ['limit=1'] : [`offset=${MAX_OFFSET}`, 'limit=1&offset=0']),
          ...(hasPage ? [`page=${MAX_PAGE}`] : []),
        ];
        for (const query of edges) {
          const res = await request(t.http).get(`${path}?${query}`).set(authOf(route));
          if (res.status !== 200) problems.push(`${route.path}?${query}: ${res.status} (expected 200)`);
        }
      }
      expect(problems).toEqual([]);
      expect(calls).toBeGreaterThanOrEqual(6 * 17);
    });
  });

  // ─────────────────────────── extra headers ───────────────────────────

  describe('subscription header names and values (RFC 9110)', () => {
    const base = { name: 'h', url: 'http://127.0.0.1:9/hook', events: ['bad.*'] };
    const withoutStats = (webhook: Record<string, unknown>) => {
      const rest = { ...webhook };
      for (const key of ['deliveries_count', 'failures_count', 'success_rate', 'last_delivery']) delete rest[key];
      return rest;
    };

    /** [why, headers, the header named in the details]. */
    const BAD_HEADERS: [string, Record<string, unknown>, string][] = [
      ['a name with a space', { 'X Tenant': 'a' }, 'headers.X Tenant'],
      ['a name with a colon', { 'X-Tenant:': 'a' }, 'headers.X-Tenant:'],
      ['an empty name', { '': 'a' }, 'headers.'],
      ['a name with parentheses', { 'X-(Tenant)': 'a' }, 'headers.X-(Tenant)'],
      ['a non-ASCII name', { 'X-Übung': 'a' }, 'headers.X-?bung'],
      ['a name with a line break', { 'X-A\r\nX-B': 'a' }, 'headers.X-A??X-B'],
      // a name too long to repeat is cut in the detail
      ['a name of 101 characters', { [`X-${'a'.repeat(99)}`]: 'a' }, `headers.X-${'a'.repeat(98)}…`],
      ['a CR LF in a value (header injection)', { 'X-Tenant': 'acme\r\nX-Injected: 1' }, 'headers.X-Tenant'],
      ['a LF in a value', { 'X-Tenant': 'acme\nx' }, 'headers.X-Tenant'],
      ['a NUL in a value', { 'X-Tenant': 'ac\u0000me' }, 'headers.X-Tenant'],
      ['a DEL in a value', { 'X-Tenant': 'ac\u007fme' }, 'headers.X-Tenant'],
      ['a vertical tab in a value', { 'X-Tenant': 'ac\u000bme' }, 'headers.X-Tenant'],
      ['a leading space', { 'X-Tenant': ' acme' }, 'headers.X-Tenant'],
      ['a trailing tab', { 'X-Tenant': 'acme\t' }, 'headers.X-Tenant'],
      ['a non-ASCII value', { 'X-Tenant': 'café' }, 'headers.X-Tenant'],
      ['a value of 2001 characters', { 'X-Tenant': 'a'.repeat(2001) }, 'headers.X-Tenant'],
      ['a number', { 'X-Count': 5 }, 'headers.X-Count'],
      ['an object', { 'X-Obj': { a: 1 } }, 'headers.X-Obj'],
      ['null on create', { 'X-Tenant': null }, 'headers.X-Tenant'],
      ['Content-Type', { 'Content-Type': 'text/plain' }, 'headers.Content-Type'],
      ['content-length', { 'content-length': '5' }, 'headers.content-length'],
      ['Transfer-Encoding', { 'Transfer-Encoding': 'chunked' }, 'headers.Transfer-Encoding'],
      ['Connection', { Connection: 'upgrade' }, 'headers.Connection'],
      ['Keep-Alive', { 'Keep-Alive': 'timeout=5' }, 'headers.Keep-Alive'],
      ['Upgrade', { Upgrade: 'websocket' }, 'headers.Upgrade'],
      ['Expect', { Expect: '100-continue' }, 'headers.Expect'],
      ['Host', { Host: 'evil.example' }, 'headers.Host'],
      ['X-Webhook-Signature', { 'X-Webhook-Signature': 'forged' }, 'headers.X-Webhook-Signature'],
      ['webhook-id', { 'webhook-id': 'x' }, 'headers.webhook-id'],
      ['X-Delivery-ID', { 'x-delivery-id': 'x' }, 'headers.x-delivery-id'],
      ['one name twice in two cases', { 'X-Tenant': 'a', 'x-tenant': 'b' }, 'headers.x-tenant'],
    ];

    it.each(BAD_HEADERS)(
      'POST /webhooks refuses %s with 400 VALIDATION_FAILED naming that header',
      async (_why, headers, field) => {
        const res = await request(t.http)
          .post('/api/v1/webhooks')
          .set(tenant.auth)
          .send({ ...base, headers });
        const details = expectError(res, 400, 'VALIDATION_FAILED');
        expect(details).toEqual([{ field, message: expect.any(String) }]);
      },
    );

    it.each(BAD_HEADERS.filter(([why]) => why !== 'null on create'))(
      'PATCH /webhooks/{id} refuses %s with 400 VALIDATION_FAILED naming that header, and changes nothing',
      async (_why, headers, field) => {
        const before = await request(t.http).get(`/api/v1/webhooks/${webhookId}`).set(tenant.auth).expect(200);
        const res = await request(t.http).patch(`/api/v1/webhooks/${webhookId}`).set(tenant.auth).send({ headers });
        const details = expectError(res, 400, 'VALIDATION_FAILED');
        expect(details).toEqual([{ field, message: expect.any(String) }]);
        const after = await request(t.http).get(`/api/v1/webhooks/${webhookId}`).set(tenant.auth).expect(200);
        // the delivery stats may move meanwhile: the bad.input events of the tests above are still retried
        expect(withoutStats(after.body.data)).toEqual(withoutStats(before.body.data));
      },
    );

    it('names every bad header in one answer, and refuses more than 50', async () => {
      const res = await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ ...base, headers: { 'X-Good': 'fine', 'X Bad': 'a', 'X-Worse': 'a\r\nb', 'X-Webhook-ID': 'c' } });
      const details = expectError(res, 400, 'VALIDATION_FAILED');
      expect(details.map((d) => d.field).sort()).toEqual(['headers.X Bad', 'headers.X-Webhook-ID', 'headers.X-Worse']);
      const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`X-H${i}`, 'v']));
      const tooMany = await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ ...base, headers: many });
      expect(expectError(tooMany, 400, 'VALIDATION_FAILED')).toEqual([
        { field: 'headers', message: expect.any(String) },
      ]);
    });

    it('accepts tokens of every allowed character, inner spaces and tabs, empty values and 50 headers', async () => {
      const headers = {
        "X-!#$%&'*+.^_`|~09az": 'v',
        Authorization: 'Bearer abc.def',
        'X-Spaces': 'a b\tc',
        'X-Empty': '',
        'X-Long': 'a'.repeat(2000),
        ...Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`X-H${i}`, 'v'])),
      };
      const res = await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ ...base, headers });
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
      expect(Object.keys(res.body.data.headers).sort()).toEqual(Object.keys(headers).sort());
    });
  });

  // ─────────────────────────── ingest path letter case ───────────────────────────

  describe('ingest paths in other letter case', () => {
    it('hands /API/V1/INGEST/{id} the raw bytes, as the canonical path: a signed JSON body is accepted and stored as sent', async () => {
      const body = JSON.stringify({ event_type: 'case.upper', event_id: `upper-${Date.now()}`, n: 1 });
      const res = await request(t.http)
        .post(`/API/V1/INGEST/${sourceId}`)
        .set(signed(body))
        .set('Content-Type', 'application/json')
        .send(body);
      expect({ status: res.status, body: res.body.data?.status }).toEqual({ status: 202, body: 'accepted' });
      const stored = await inboundEvent(t.http, tenant.auth, res.body.data.webhook_event_id);
      expect(stored.payload).toEqual(JSON.parse(body));
    });

    it('hands /Api/V1/Webhooks/Incoming/{kind} a signed form body as sent, and refuses one signed over other bytes', async () => {
      const body = `event_type=case.mixed&event_id=mixed-${Date.now()}&n=2`;
      const res = await request(t.http)
        .post('/Api/V1/Webhooks/Incoming/message')
        .set('X-Webhook-ID', sourceId)
        .set(signed(body))
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(body);
      expect({ status: res.status, body: res.body.data?.status }).toEqual({ status: 202, body: 'accepted' });
      const stored = await inboundEvent(t.http, tenant.auth, res.body.data.webhook_event_id);
      expect(stored.payload).toMatchObject({ event_type: 'case.mixed', n: '2' });

      // a JSON body signed as if it had been parsed and re-serialised (or emptied) is refused
      const json = JSON.stringify({ event_type: 'case.forged', n: 3 });
      for (const claimed of ['', '{}', JSON.stringify(JSON.parse(json))]) {
        const forged = await request(t.http)
          .post('/API/V1/INGEST/' + sourceId)
          .set(signed(claimed))
          .set('Content-Type', 'application/json')
          .send(`${json} `);
        expectError(forged, 401, 'INVALID_SIGNATURE');
      }
    });

    it('does not route a percent-encoded ingest path', async () => {
      const body = JSON.stringify({ event_type: 'case.encoded', n: 4 });
      const before = await inboundCount(t.http, tenant.auth, sourceId);
      const res = await request(t.http)
        .post(`/api/v1/%69ngest/${sourceId}`)
        .set(signed(body))
        .set('Content-Type', 'application/json')
        .send(body);
      expectError(res, 404, 'NOT_FOUND');
      expect(await inboundCount(t.http, tenant.auth, sourceId)).toBe(before);
    });
  });
});
