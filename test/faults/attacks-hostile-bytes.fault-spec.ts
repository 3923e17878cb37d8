import { createServer as createHttpServer, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer, Server as NetServer, Socket } from 'node:net';
import { Client } from 'pg';
import { MAX_RELEASES } from '../../src/database/release-claim';
import {
  call,
  createTenant,
  eventually,
  HttpAnswer,
  mustPost,
  openDatabase,
  signedHeaders,
  Stack,
  startStack,
  statusCounts,
  Tenant,
} from './helpers';

/**
 * Hostile bytes (issue #17): subscribers answering NUL, invalid UTF-8 and encoded surrogates in bodies,
 * headers and status lines, with success and failure statuses; providers sending `\u0000` and lone
 * surrogates in JSON keys, values and event ids, Kommo forms with `%00` and raw NUL bytes, a route
 * `{kind}` with `%00`; a template that would render 90 MB. Against real API and worker processes:
 * every delivery and inbound event ends (success, dead, completed or failed) within a bounded time,
 * nothing answers 500, and no work is given back for an unexpected error.
 */

/** How long everything may take to end (the slowest path: four delivery attempts over 3.5 s, four inbound runs over 2 s). */
const SETTLE_MS = 45_000;

/** A subscriber answering through node's HTTP server: what an application could send. */
async function startHttpSubscriber(): Promise<{
  server: Server;
  url(path: string): string;
  hits: Map<string, number>;
}> {
  const hits = new Map<string, number>();
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '';
      hits.set(path, (hits.get(path) ?? 0) + 1);
      switch (path) {
        case '/nul-200':
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\u0000done');
          return;
        case '/nul-500':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('broken\u0000');
          return;
        case '/bytes-200':
          // not UTF-8 (FF), a lone surrogate encoded as if it were a character (ED A0 80), a NUL
          res
            .writeHead(200, { 'content-type': 'text/plain' })
            .end(Buffer.from([0x6f, 0x6b, 0xff, 0xed, 0xa0, 0x80, 0]));
          return;
        case '/transient':
          res.writeHead(200, { 'content-type': 'text/plain' }).end('transient-please');
          return;
        default:
          res.writeHead(200).end('ok');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, hits, url: (path) => `http://127.0.0.1:${port}${path}` };
}

/** Raw answers no HTTP library would write: NUL in a header value and in the status line, Latin-1 bytes. */
const RAW_ANSWERS: Record<string, Buffer> = {
  '/raw-nul-header': Buffer.from(
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Odd: a\u0000b\r\nContent-Length: 2\r\n\r\nok',
    'latin1',
  ),
  '/raw-nul-status': Buffer.from('HTTP/1.1 200 O\u0000K\r\nContent-Length: 2\r\n\r\nok', 'latin1'),
  '/raw-latin1': Buffer.from(
    'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Odd: caf\u00e9 \u00ff\r\nContent-Length: 4\r\n\r\no\u0000\u00ffk',
    'latin1',
  ),
};

/** A subscriber on a bare TCP socket: reads one request, answers RAW_ANSWERS[path] and closes. */
async function startRawSubscriber(): Promise<{ server: NetServer; url(path: string): string }> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const text = received.toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1] ?? 0);
      if (received.length < end + 4 + length) return;
      const path = text.split(' ')[1];
      socket.end(RAW_ANSWERS[path] ?? Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n'));
    });
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: (path) => `http://127.0.0.1:${port}${path}` };
}

describe('Hostile bytes (attack)', () => {
  let stack: Stack;
  let db: Client;
  let tenant: Tenant;
  let http: Awaited<ReturnType<typeof startHttpSubscriber>>;
  let raw: Awaited<ReturnType<typeof startRawSubscriber>>;
  const answers: { what: string; status: number }[] = [];
  const webhooks = new Map<string, string>();

  beforeAll(async () => {
    db = await openDatabase();
    http = await startHttpSubscriber();
    raw = await startRawSubscriber();
    stack = await startStack({ name: 'hostile-bytes', workers: 1 });
    tenant = await createTenant(stack.baseUrl, 'Hostile bytes tenant');
  });

  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => http?.server.close(resolve));
    await new Promise((resolve) => raw?.server.close(resolve));
    await db?.end();
  });

  async function send(what: string, path: string, options: Parameters<typeof call>[3]): Promise<HttpAnswer> {
    const res = await call(stack.baseUrl, 'POST', path, options);
    answers.push({ what, status: res.status });
    return res;
  }

  async function subscribe(name: string, url: string, extra: Record<string, unknown> = {}): Promise<void> {
    const webhook = await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/webhooks',
      { name, url, events: [`hostile.${name}`], timeout_ms: 2000, ...extra },
      201,
    );
    webhooks.set(name, webhook.webhook_id);
  }

  it('ends every delivery to subscribers answering hostile bytes, and every inbound event of hostile providers, within a bounded time', async () => {
    // ---- subscribers -------------------------------------------------------------------------------
    for (const path of ['/nul-200', '/nul-500', '/bytes-200']) await subscribe(path.slice(1), http.url(path));
    for (const path of Object.keys(RAW_ANSWERS)) await subscribe(path.slice(1), raw.url(path));
    await subscribe('huge-template', http.url('/ok'), {
      payload_template: { copies: Array.from({ length: 100 }, () => '{{data}}') },
    });
    for (const name of webhooks.keys()) {
      const data = name === 'huge-template' ? { blob: 'x'.repeat(900 * 1024) } : { name };
      const res = await send(`publish ${name}`, '/api/v1/events', {
        headers: tenant.auth,
        json: { event_type: `hostile.${name}`, data },
      });
      expect({ name, status: res.status, matched: res.json?.data?.matched_webhooks }).toEqual({
        name,
        status: 202,
        matched: 1,
      });
    }

    // ---- providers ---------------------------------------------------------------------------------
    const secret = 'hostile-bytes-source-secret';
    const signed = await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/sources',
      { name: 'signed', provider: 'generic', verification: { scheme: 'hmac-sha256', secret } },
      201,
    );
    const open = await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/sources',
      { name: 'open', provider: 'generic', verification: { scheme: 'none' } },
      201,
    );
    const kommo = await mustPost(stack.baseUrl, tenant, '/api/v1/sources', { name: 'kommo', provider: 'kommo' }, 201);
    const inbound = new Map<string, string>();
    const jsonBodies: Record<string, string> = {
      'nul in a key and a value': String.raw`{"event_type":"hostile.json","na\u0000me":"a\u0000b"}`,
      'lone surrogates': String.raw`{"event_type":"hostile.json","s":"\ud800","t":"\udfff\udfff","u":{"\udbff":1}}`,
      'nul in the event id (dedup key)': String.raw`{"event_type":"hostile.json","event_id":"id\u0000\ud800"}`,
      'nul in the event type': String.raw`{"event_type":"hostile\u0000json"}`,
    };
    for (const [what, body] of Object.entries(jsonBodies)) {
      const res = await send(what, `/api/v1/ingest/${signed.source_id}`, {
        headers: { 'content-type': 'application/json', ...signedHeaders(body, secret) },
        body,
      });
      expect({ what, status: res.status }).toEqual({ what, status: 202 });
      inbound.set(what, res.json.data.webhook_event_id);
    }
    const lead = (field: string) => encodeURIComponent(`leads[status][0][${field}]`);
    const form = Buffer.concat([
      Buffer.from(
        [
          `${lead('id')}=77%0001`,
          `${lead('name')}=Deal%00`,
          `${lead('status_id')}=142`,
          `${lead('pipeline_id')}=1`,
          `${lead('custom_fields')}${encodeURIComponent('[0][na')}%00${encodeURIComponent('me]')}=v%00`,
          `${encodeURIComponent('account[subdomain]')}=hostile%00corp`,
          `${encodeURIComponent('account[id]')}=1`,
          'raw=',
        ].join('&'),
      ),
      Buffer.from([0x00, 0x41]),
    ]);
    const kommoAnswer = await send(
      'kommo form with %00 and a raw NUL',
      new URL(kommo.ingest_url).pathname + new URL(kommo.ingest_url).search,
      {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      },
    );
    expect(kommoAnswer.status).toBe(202);
    inbound.set('kommo', kommoAnswer.json.data.webhook_event_id);
    const kindAnswer = await send('kind with %00', '/api/v1/webhooks/incoming/odd%00kind', {
      headers: { 'content-type': 'application/json', 'X-Webhook-ID': open.source_id },
      body: '{"no":"type"}',
    });
    expect(kindAnswer.status).toBe(202);
    inbound.set('kind', kindAnswer.json.data.webhook_event_id);

    // refused at the door, never 500: a raw NUL in JSON, a management call with NUL in its data
    const rawNul = await send('raw NUL in JSON', `/api/v1/ingest/${open.source_id}`, {
      headers: { 'content-type': 'application/json' },
      body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0x00, 0x22, 0x7d]),
    });
    expect(rawNul.status).toBe(400);
    const managed = await send('POST /events with NUL', '/api/v1/events', {
      headers: { ...tenant.auth, 'content-type': 'application/json' },
      body: String.raw`{"event_type":"hostile.api","data":{"x":"\u0000"}}`,
    });
    expect(managed.status).toBe(400);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);

    // ---- everything ends -----------------------------------------------------------------------------
    const started = Date.now();
    const unfinished = ['queued', 'sending', 'retrying', 'pending', 'processing'];
    await eventually(
      async () => {
        const deliveries = await statusCounts(
          db,
          'SELECT status, count(*) AS n FROM deliveries WHERE tenant_id = $1 GROUP BY status',
          [tenant.tenantId],
        );
        const events = await statusCounts(
          db,
          'SELECT status, count(*) AS n FROM inbound_events WHERE tenant_id = $1 GROUP BY status',
          [tenant.tenantId],
        );
        return Object.keys({ ...deliveries, ...events }).some((s) => unfinished.includes(s)) ? undefined : true;
      },
      SETTLE_MS,
      'every delivery and inbound event ended',
    ).catch(async (error: Error) => {
      const rows = await db.query(
        `SELECT 'delivery' AS kind, id, status, attempt_count AS n, last_error AS error FROM deliveries WHERE tenant_id = $1
         UNION ALL SELECT 'inbound', id, status, retry_count, error FROM inbound_events WHERE tenant_id = $1`,
        [tenant.tenantId],
      );
      throw new Error(`${error.message}: ${JSON.stringify(rows.rows)}`);
    });
    const settledMs = Date.now() - started;

    // ---- and ends as it should -------------------------------------------------------------------------
    const deliveries = await db.query<{ name: string; status: string; attempt_count: number; release_count: number }>(
      `SELECT s.name, d.status, d.attempt_count, d.release_count FROM deliveries d
       JOIN subscriptions s ON s.id = d.subscription_id WHERE d.tenant_id = $1 AND d.event_type LIKE 'hostile.%'`,
      [tenant.tenantId],
    );
    const byName = Object.fromEntries(deliveries.rows.map((r) => [r.name, r]));
    expect(byName['nul-200']).toMatchObject({ status: 'success', attempt_count: 1 });
    expect(byName['bytes-200']).toMatchObject({ status: 'success', attempt_count: 1 });
    expect(byName['raw-latin1']).toMatchObject({ status: 'success', attempt_count: 1 });
    expect(byName['nul-500']).toMatchObject({ status: 'dead', attempt_count: 4 });
    expect(byName['huge-template']).toMatchObject({ status: 'dead', attempt_count: 1 });
    // undici refuses a NUL in a header value (a connection error, retried until dead) and takes one in the reason phrase
    expect(byName['raw-nul-header']).toMatchObject({ status: 'dead', attempt_count: 4 });
    expect(byName['raw-nul-status']).toMatchObject({ status: 'success', attempt_count: 1 });
    // nothing was given back: hostile bytes are no unexpected error
    expect(deliveries.rows.filter((r) => r.release_count > 0)).toEqual([]);
    expect(http.hits.get('/ok')).toBeUndefined();

    const attempts = await db.query<{ response_body: string | null; response_headers: unknown; error: string | null }>(
      `SELECT a.response_body, a.response_headers, a.error FROM delivery_attempts a WHERE a.tenant_id = $1`,
      [tenant.tenantId],
    );
    const stored = JSON.stringify(attempts.rows);
    expect(stored).not.toMatch(/\\u0000|\\ud[89ab]/i);
    const huge = await db.query<{ error: string; error_kind: string }>(
      `SELECT a.error, a.error_kind FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE d.subscription_id = $1`,
      [webhooks.get('huge-template')],
    );
    expect(huge.rows).toEqual([
      {
        error: expect.stringMatching(/^the rendered body is 87\.9 MiB \(\d+ bytes\), over the 5 MiB cap/),
        error_kind: 'body_too_large',
      },
    ]);

    const events = await db.query<{ id: string; status: string; error: string | null; release_count: number }>(
      'SELECT id, status, error, release_count FROM inbound_events WHERE id = ANY($1)',
      [[...inbound.values()]],
    );
    const eventById = new Map(events.rows.map((r) => [r.id, r]));
    const expected: Record<string, string> = {
      'nul in a key and a value': 'completed',
      'lone surrogates': 'completed',
      'nul in the event id (dedup key)': 'completed',
      // "hostile\uFFFDjson" is no event type: the normaliser says so, the run fails after its retries
      'nul in the event type': 'failed',
      kommo: 'completed',
      kind: 'failed',
    };
    for (const [what, id] of inbound) {
      expect({ what, status: eventById.get(id)?.status }).toEqual({ what, status: expected[what] });
      expect({ what, releases: eventById.get(id)?.release_count }).toEqual({ what, releases: 0 });
    }
    expect(eventById.get(inbound.get('kind')!)?.error).toMatch(/is not an event type/);

    // the worker saw nothing unexpected: no give-back, no value PostgreSQL refused
    const workerLog = stack.workers[0].output();
    expect(workerLog).not.toMatch(/given back after an unexpected error|could not be stored|unsupported Unicode/);
    process.stdout.write(`hostile bytes: everything ended ${settledMs} ms after the last request\n`);
  });

  it(`logs an error for every give-back and ends the delivery at the ${MAX_RELEASES}th in a row`, async () => {
    // a transient failure on every try, stood for by a trigger raising a serialization failure (40001) for this answer
    await db.query(`CREATE OR REPLACE FUNCTION hostile_bytes_transient() RETURNS trigger AS $$
      BEGIN
        IF position('transient-please' in coalesce(NEW.response_body, '')) > 0 THEN
          RAISE EXCEPTION 'could not serialize access (test trigger)' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER hostile_bytes_transient BEFORE INSERT ON delivery_attempts
      FOR EACH ROW EXECUTE FUNCTION hostile_bytes_transient()`);
    try {
      await subscribe('transient', http.url('/transient'));
      const res = await send('publish transient', '/api/v1/events', {
        headers: tenant.auth,
        json: { event_type: 'hostile.transient', data: {} },
      });
      expect(res.status).toBe(202);
      const row = await eventually(
        async () => {
          const found = await db.query<{ id: string; status: string; last_error: string; release_count: number }>(
            'SELECT id, status, last_error, release_count FROM deliveries WHERE subscription_id = $1',
            [webhooks.get('transient')],
          );
          return found.rows[0]?.status === 'dead' ? found.rows[0] : undefined;
        },
        // each give-back is due again after 3 s, and swept 2 s overdue
        MAX_RELEASES * 8_000,
        'the delivery dead after its give-backs',
      );
      expect(row).toMatchObject({
        status: 'dead',
        release_count: MAX_RELEASES,
        last_error: `given back ${MAX_RELEASES} times in a row without finishing; last: could not serialize access (test trigger)`,
      });
      expect(http.hits.get('/transient')).toBe(MAX_RELEASES);
      const lines = stack.workers[0]
        .output()
        .split('\n')
        .filter((line) => line.includes(`delivery ${row.id}`));
      expect(lines.filter((line) => /given back after an unexpected error/.test(line))).toHaveLength(MAX_RELEASES - 1);
      expect(lines.filter((line) => / ended: given back/.test(line))).toHaveLength(1);
      // pino's error level
      expect(lines.every((line) => line.includes('"level":50'))).toBe(true);
    } finally {
      await db.query('DROP TRIGGER IF EXISTS hostile_bytes_transient ON delivery_attempts');
      await db.query('DROP FUNCTION IF EXISTS hostile_bytes_transient()');
    }
  });
});
