import { createHmac, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { TEST_ADMIN_KEY } from '../helpers/run-env';
import {
  call,
  createTenant,
  eventually,
  isErrorEnvelope,
  Json,
  mustPost,
  openDatabase,
  Receiver,
  Stack,
  startStack,
  Tenant,
} from './helpers';

/**
 * Attacks of issue #17 against running processes (an API at LOG_LEVEL=debug and a worker): bodies
 * that do not decode, lists asked for impossible pages, header injection through a subscription's
 * extra headers and those headers read back, a url token whose name is spelled another way, a
 * cross-site form posting to the queue dashboard, and a signature over nothing on an ingest path in
 * capitals. No route may answer 500, and the token may reach no log line.
 */

const V1 = '/api/v1';

let stack: Stack;
let db: Client;
let tenant: Tenant;
const receiver = new Receiver();

/** Every answer of the spec, checked at the end for 500s. */
const statuses: { what: string; status: number }[] = [];

async function send(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; json?: unknown } = {},
) {
  const res = await call(stack.baseUrl, method, path, options);
  statuses.push({ what: `${method} ${path.slice(0, 120)}`, status: res.status });
  return res;
}

/** An answer in the error envelope with this status and code. */
function refused(res: { status: number; json: Json }, status: number, code: string): void {
  expect({ status: res.status, code: res.json?.error?.code, envelope: isErrorEnvelope(res.json) }).toEqual({
    status,
    code,
    envelope: true,
  });
}

describe('Attacks: bad input (fault)', () => {
  beforeAll(async () => {
    db = await openDatabase();
    await receiver.start();
    stack = await startStack({
      name: 'bad-input',
      workers: 1,
      apiEnv: { LOG_LEVEL: 'debug', MAX_BODY_BYTES: '64kb' },
      workerEnv: { LOG_LEVEL: 'debug' },
    });
    tenant = await createTenant(stack.baseUrl, 'bad input');
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
    await db?.end();
  });

  it('answers bodies that do not decode with 400, 413 or 415 before and after authentication, on management and ingest routes', async () => {
    const source = await mustPost(
      stack.baseUrl,
      tenant,
      `${V1}/sources`,
      { name: 'gz', provider: 'generic', verification: { scheme: 'hmac-sha256-body', secret: 'gzip-attack-secret' } },
      201,
    );
    const json = { 'content-type': 'application/json' };
    const bomb = gzipSync(Buffer.alloc(8 << 20, 32));
    for (const auth of [{}, tenant.auth]) {
      const events = (encoding: string, body: Buffer) =>
        send('POST', `${V1}/events`, { headers: { ...auth, ...json, 'content-encoding': encoding }, body });
      refused(await events('gzip', Buffer.from('\x1f\x8b\x08 definitely not gzip')), 400, 'BAD_REQUEST');
      refused(await events('deflate', randomBytes(64)), 400, 'BAD_REQUEST');
      refused(await events('gzip', gzipSync('{"event_type":"x"}').subarray(0, 12)), 400, 'BAD_REQUEST');
      refused(await events('compress', Buffer.from('{}')), 415, 'UNSUPPORTED_MEDIA_TYPE');
      refused(await events('gzip, gzip', gzipSync(gzipSync('{}'))), 415, 'UNSUPPORTED_MEDIA_TYPE');
      refused(await events('gzip', bomb), 413, 'PAYLOAD_TOO_LARGE');
    }
    // ingest verifies the bytes as sent: any encoding is refused, even one signed over the compressed bytes
    const body = gzipSync(JSON.stringify({ event_type: 'gz.in', n: 1 }));
    const signature = createHmac('sha256', 'gzip-attack-secret').update(body).digest('hex');
    for (const path of [`${V1}/ingest/${source.source_id}`, `${V1}/INGEST/${source.source_id}`]) {
      const res = await send('POST', path, {
        headers: { ...json, 'content-encoding': 'gzip', 'x-webhook-signature': `sha256=${signature}` },
        body,
      });
      refused(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const stored = await db.query('SELECT 1 FROM inbound_events WHERE source_id = $1', [source.source_id]);
    expect(stored.rowCount).toBe(0);
  });

  it('answers impossible pages of every list with 400 VALIDATION_FAILED', async () => {
    const webhook = await mustPost(
      stack.baseUrl,
      tenant,
      `${V1}/webhooks`,
      { name: 'pages', url: receiver.url('/pages'), events: ['pages.*'] },
      201,
    );
    const doc = (await send('GET', '/docs-json')).json as { paths: Record<string, Record<string, Json>> };
    const lists = Object.entries(doc.paths)
      .filter(([, methods]) => JSON.stringify(methods.get?.responses?.['200'] ?? {}).includes('ListMetaDto'))
      .map(([path, methods]) => ({
        path: path.replace('{webhook_id}', webhook.webhook_id),
        // the operator's lists take the admin key
        admin: JSON.stringify(methods.get?.security ?? []).includes('admin_key'),
      }));
    expect(lists.length).toBeGreaterThanOrEqual(6);
    for (const { path, admin } of lists) {
      const headers = admin ? { authorization: `Bearer ${TEST_ADMIN_KEY}` } : tenant.auth;
      for (const query of ['offset=99999999999999999999', 'limit=1e3', 'limit=-1', 'offset=abc', 'page=1e20']) {
        if (query.startsWith('page') && !path.endsWith('/inbound-events')) continue;
        const res = await send('GET', `${path}?${query}`, { headers });
        expect({ path, query, status: res.status, code: res.json?.error?.code }).toEqual({
          path,
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
    }
  });

  it('refuses header injection through extra headers, never shows their values again, and still sends them', async () => {
    for (const headers of [
      { 'X-Evil': 'a\r\nX-Injected: 1' },
      { 'X-Evil\r\nX-Injected': 'a' },
      { 'X-Evil': 'a\u0000b' },
      { 'Transfer-Encoding': 'chunked' },
    ]) {
      const res = await send('POST', `${V1}/webhooks`, {
        headers: tenant.auth,
        json: { name: 'inject', url: receiver.url('/inject'), events: ['hdr.*'], headers },
      });
      refused(res, 400, 'VALIDATION_FAILED');
    }
    const token = `Bearer sk_${randomBytes(16).toString('hex')}`;
    const created = await send('POST', `${V1}/webhooks`, {
      headers: tenant.auth,
      json: {
        name: 'secret header',
        url: receiver.url('/secret'),
        events: ['hdr.*'],
        headers: { Authorization: token },
      },
    });
    expect(created.status).toBe(201);
    const id = created.json.data.webhook_id as string;
    await send('PATCH', `${V1}/webhooks/${id}`, { headers: tenant.auth, json: { name: 'renamed' } });
    const event = await send('POST', `${V1}/events`, {
      headers: tenant.auth,
      json: { event_type: 'hdr.go', data: {} },
    });
    expect(event.status).toBe(202);
    const [got] = await receiver.waitForRequests(1, 20_000);
    expect(got.headers.authorization).toBe(token);
    const delivery = await eventually(
      async () => {
        const log = await send('GET', `${V1}/webhooks/${id}/deliveries`, { headers: tenant.auth });
        return log.json?.data?.find((d: Json) => d.status === 'success');
      },
      20_000,
      'the delivery recorded',
    );
    const answers = [
      created,
      await send('GET', `${V1}/webhooks/${id}`, { headers: tenant.auth }),
      await send('GET', `${V1}/webhooks`, { headers: tenant.auth }),
      await send('GET', `${V1}/webhooks/deliveries/${delivery.delivery_id}`, { headers: tenant.auth }),
    ];
    expect(answers.filter((a) => a.text.includes(token)).length).toBe(0);
    expect(answers[1].json.data.headers).toEqual({ Authorization: '••••' });
    const rows = await db.query<{ row: string }>(
      `SELECT row_to_json(s)::text AS row FROM subscriptions s WHERE id = $1
       UNION ALL SELECT row_to_json(a)::text FROM delivery_attempts a WHERE a.delivery_id = $2`,
      [id, delivery.delivery_id],
    );
    expect(rows.rows.length).toBe(2);
    expect(rows.rows.filter((r) => r.row.includes(token.slice(7))).length).toBe(0);
  });

  it('refuses a signature over nothing on an ingest path in capitals, and stores signed bytes as sent', async () => {
    const secret = 'capitals-attack-secret';
    const source = await mustPost(
      stack.baseUrl,
      tenant,
      `${V1}/sources`,
      { name: 'caps', provider: 'generic', verification: { scheme: 'hmac-sha256-body', secret } },
      201,
    );
    const sign = (bytes: string) => `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;
    const body = JSON.stringify({ event_type: 'caps.forged', injected: true });
    for (const path of [`/API/V1/INGEST/${source.source_id}`, `/Api/V1/Webhooks/Incoming/message`]) {
      for (const claimed of ['', '{}']) {
        const res = await send('POST', path, {
          headers: {
            'content-type': 'application/json',
            'x-webhook-id': source.source_id,
            'x-webhook-signature': sign(claimed),
          },
          body,
        });
        refused(res, 401, 'INVALID_SIGNATURE');
      }
    }
    const honest = JSON.stringify({ event_type: 'caps.honest', n: 1 });
    const ok = await send('POST', `/API/V1/INGEST/${source.source_id}`, {
      headers: { 'content-type': 'application/json', 'x-webhook-signature': sign(honest) },
      body: honest,
    });
    expect(ok.status).toBe(202);
    const stored = await db.query<{ payload: Json }>('SELECT payload FROM inbound_events WHERE source_id = $1', [
      source.source_id,
    ]);
    expect(stored.rows.map((r) => r.payload)).toEqual([JSON.parse(honest)]);
  });

  it('refuses a cross-site form posting to the queue dashboard with the browser’s Basic credentials', async () => {
    const basic = { authorization: `Basic ${Buffer.from(`x:${TEST_ADMIN_KEY}`).toString('base64')}` };
    const forged = await send('POST', '/admin/queues/api/queues/deliveries/add', {
      headers: { ...basic, origin: 'https://evil.example', 'content-type': 'text/plain' },
      body: '{"name":"forged","data":{"delivery_id":"dlv_forged"}}',
    });
    refused(forged, 403, 'FORBIDDEN');
    const pausedBySite = await send('PUT', '/admin/queues/api/queues/deliveries/pause', {
      headers: { ...basic, 'sec-fetch-site': 'cross-site' },
    });
    refused(pausedBySite, 403, 'FORBIDDEN');
    // the dashboard's own page: same origin
    const own = { ...basic, origin: stack.baseUrl, 'sec-fetch-site': 'same-origin' };
    expect((await send('PUT', '/admin/queues/api/queues/deliveries/pause', { headers: own })).status).toBe(200);
    expect((await send('PUT', '/admin/queues/api/queues/deliveries/resume', { headers: own })).status).toBe(200);
    const queues = await send('GET', '/admin/queues/api/queues', {
      headers: { ...basic, origin: 'https://evil.example' },
    });
    expect(queues.status).toBe(200);
    const deliveries = queues.json.queues.find((q: Json) => q.name === 'deliveries');
    expect(deliveries.isPaused).toBe(false);
  });

  it('keeps a url token out of every log line whatever the spelling of its name; no route answered 500', async () => {
    const created = await mustPost(
      stack.baseUrl,
      tenant,
      `${V1}/sources`,
      { name: 'kommo', provider: 'kommo', config: { account_id: '777001' } },
      201,
    );
    const token = new URL(created.ingest_url).searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(10);
    const verifyToken = `vt-${randomBytes(12).toString('hex')}`;
    const whatsapp = await mustPost(
      stack.baseUrl,
      tenant,
      `${V1}/sources`,
      {
        name: 'wa',
        provider: 'whatsapp',
        verification: { scheme: 'whatsapp', secret: 'wa-app-secret-0123' },
        config: { verify_token: verifyToken },
      },
      201,
    );
    const path = new URL(created.ingest_url).pathname;
    const form = { 'content-type': 'application/x-www-form-urlencoded', 'x-org-id': '777001' };
    const body = 'leads%5Bstatus%5D%5B0%5D%5Bid%5D=1&account%5Bid%5D=777001';
    const spellings = [
      'token',
      'TOKEN',
      '%74oken',
      '%54OKEN',
      '%2574oken',
      'tok%65n',
      'token[]',
      'token%5B%5D',
      't%6Fken',
    ];
    for (const name of spellings) {
      await send('POST', `${path}?${name}=${encodeURIComponent(token)}`, { headers: form, body });
      await send('POST', `${path}?a=1;${name}=${token}`, { headers: form, body });
    }
    const wa = `${V1}/integrations/whatsapp/${whatsapp.source_id}`;
    for (const name of [
      'hub.verify_token',
      'hub%2Everify_token',
      'hub.verify%5Ftoken',
      'HUB.VERIFY_TOKEN',
      'hub%252Everify_token',
    ]) {
      await send('GET', `${wa}?hub.mode=subscribe&hub.challenge=42&${name}=${verifyToken}`);
    }
    // the spellings the application reads as token were accepted: the token was really in use
    const accepted = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbound_events WHERE source_id = $1',
      [created.source_id],
    );
    expect(accepted.rows[0].n).toBeGreaterThan(0);

    expect(statuses.filter((s) => s.status >= 500)).toEqual([]);
    await stack.stop();
    const output = [stack.api, ...stack.workers].map((proc) => proc.output()).join('\n');
    expect(output).toContain('"msg":"request completed"');
    expect(output).toContain('%74oken=[redacted]');
    const leaks = output.split('\n').filter((line) => line.includes(token) || line.includes(verifyToken));
    expect(leaks).toEqual([]);
    expect(output).not.toContain('unhandled error');
  });
});
