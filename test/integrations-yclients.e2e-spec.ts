import { readFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundEvent } from './helpers/inbound';
import { eventually, Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '200ms',
};

const ROUTE = '/api/v1/integrations/yclients/webhook';
const FIXTURES = join(__dirname, 'fixtures', 'providers', 'yclients');
const COMPANY = 307626;

/**
 * A fixture as sent on the wire: its body and Content-Type. The body goes as a string (supertest
 * serialises a Buffer as JSON), which is checked to encode back to the exact bytes.
 */
function fixture(name: string): { body: string; contentType: string } {
  const headers = readFileSync(join(FIXTURES, `${name}.headers`), 'utf8');
  const contentType = /^content-type:\s*(.+)$/im.exec(headers)![1].trim();
  const bytes = readFileSync(join(FIXTURES, `${name}.body`));
  const body = bytes.toString('utf8');
  if (!Buffer.from(body, 'utf8').equals(bytes)) throw new Error(`${name}.body is not UTF-8`);
  return { body, contentType };
}

interface Expected {
  event_type: string;
  event_subtype: string;
  entity_type: string;
  entity_id: string;
  entity_key: string;
}

const EXPECTED: Record<string, Expected> = {
  'record-create': {
    event_type: 'record.created',
    event_subtype: 'record_created',
    entity_type: 'record',
    entity_id: '596792980',
    entity_key: 'yclients:307626:record:596792980',
  },
  'client-update-INFERRED': {
    event_type: 'client.updated',
    event_subtype: 'client_updated',
    entity_type: 'client',
    entity_id: '169711586',
    entity_key: 'yclients:307626:client:169711586',
  },
};

/** What a subscriber finds in `data` for each fixture, beside the provider's own envelope. */
const DELIVERED_DATA: Record<string, Record<string, unknown>> = {
  'record-create': {
    company_id: COMPANY,
    resource: 'record',
    status: 'create',
    record: expect.objectContaining({
      id: '596792980',
      datetime: '2025-07-13T12:10:00+05:00',
      services: [expect.objectContaining({ title: 'Стрижка мужская', cost: '4000.00' })],
      total_cost: '4000.00',
      staff: expect.objectContaining({ name: 'Нурзад' }),
      client: expect.objectContaining({ name: 'Вячеслав', phone: '+77770000002' }),
      deleted: false,
      attendance: 0,
    }),
  },
  'client-update-INFERRED': {
    company_id: COMPANY,
    resource: 'client',
    status: 'update',
    client: expect.objectContaining({ id: '169711586', name: 'Вячеслав', phone: '+77770000002' }),
  },
};

/** A stand-in for the YClients REST API: GET /api/v1/records/{company_id}?changed_after&page&count. */
class FakeYclientsApi {
  records: Record<string, unknown>[] = [];
  readonly requests: { url: URL; headers: IncomingMessage['headers'] }[] = [];
  authorization = 'Bearer partner-token-123, User user-token-456';
  private server?: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/api/v1`;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.requests.push({ url, headers: req.headers });
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== this.authorization) {
      return send(401, { success: false, data: null, meta: { message: 'Unauthorized' } });
    }
    const match = /^\/api\/v1\/records\/(\d+)$/.exec(url.pathname);
    if (!match) return send(404, { success: false, data: null, meta: { message: 'Not found' } });
    const after = new Date(url.searchParams.get('changed_after') ?? '1970-01-01T00:00:00Z').getTime();
    const changed = this.records.filter(
      (r) => String(r.company_id) === match[1] && new Date(fixOffset(String(r.last_change_date))).getTime() > after,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const count = Number(url.searchParams.get('count') ?? 25);
    send(200, {
      success: true,
      data: changed.slice((page - 1) * count, page * count),
      meta: { page, total_count: changed.length },
    });
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** "+0500" → "+05:00", which Date parses everywhere. */
function fixOffset(date: string): string {
  return date.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

/** A record as the REST API returns it, shaped like the fixture's `data`. */
function apiRecord(id: number, created: string, changed: string, extra: Record<string, unknown> = {}) {
  const base = JSON.parse(fixture('record-create').body).data as Record<string, unknown>;
  return { ...base, id, create_date: created, last_change_date: changed, ...extra };
}

describe('YClients integration (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;
  const created: string[] = [];

  beforeAll(async () => {
    t = await startApp(ENV);
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver = await new Receiver().start();
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'bookings', url: receiver.url(), events: ['record.*', 'client.*', 'yclients.*'] })
      .expect(201);
  });

  afterEach(async () => {
    await receiver.stop();
    // Sources are found by company_id across tenants: delete them so the next test's source is the one found.
    for (const id of created.splice(0)) {
      await request(t.http).delete(`/api/v1/sources/${id}`).set(tenant.auth);
    }
  });

  afterAll(async () => {
    await t.close();
  });

  async function createSource(config: Record<string, unknown> = { company_id: COMPANY, max_retries: 0 }) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'salon', provider: 'yclients', config })
      .expect(201);
    created.push(res.body.data.source_id);
    return res.body.data as { source_id: string; ingest_url: string; secret: string };
  }

  const inbound = (id: string) => inboundEvent(t.http, tenant.auth, id);

  async function settled(id: string, status = 'completed') {
    return eventually(
      async () => {
        const e = await inbound(id);
        return e.status === status ? e : undefined;
      },
      15_000,
      `inbound event ${id} ${status}`,
    );
  }

  async function inboundList(sourceId: string) {
    const res = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${sourceId}&limit=100`)
      .set(tenant.auth)
      .expect(200);
    return res.body.data as { id: string; entity_id: string; event_type: string; status: string }[];
  }

  const post = (path: string, body: string, contentType = 'application/json') =>
    request(t.http).post(path).set('Content-Type', contentType).send(body);

  it('gives the source an ingest_url on the YClients route, with ?token= (url-token by default)', async () => {
    const source = await createSource();
    const url = new URL(source.ingest_url);
    expect(url.pathname).toBe(ROUTE);
    expect(url.searchParams.get('token')).toBe(source.secret);
    const got = await request(t.http).get(`/api/v1/sources/${source.source_id}`).set(tenant.auth).expect(200);
    expect(got.body.data.verification.scheme).toBe('url-token');
  });

  describe.each(Object.keys(EXPECTED))('fixture %s', (name) => {
    it('is stored, normalised and delivered through the YClients route and through /ingest/{source_id}', async () => {
      const { body, contentType } = fixture(name);
      const routed = await createSource();
      const byPath = await createSource({ max_retries: 0 });

      const viaRoute = await post(`${ROUTE}?token=${routed.secret}`, body, contentType).expect(202);
      expect(viaRoute.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });
      const viaIngest = await post(
        `/api/v1/ingest/${byPath.source_id}?token=${byPath.secret}`,
        body,
        contentType,
      ).expect(202);
      expect(viaIngest.body.data.status).toBe('accepted');

      for (const [answer, source] of [
        [viaRoute, routed],
        [viaIngest, byPath],
      ] as const) {
        const e = await settled(answer.body.data.webhook_event_id);
        expect(e).toMatchObject({
          ...EXPECTED[name],
          status: 'completed',
          provider: 'yclients',
          source_id: source.source_id,
          error: null,
          execution_context: expect.objectContaining({
            received_via: 'webhook',
            company_id: String(COMPANY),
            event_types: [EXPECTED[name].event_type],
          }),
        });
        expect(e.payload).toEqual(JSON.parse(body));
        expect(e.events).toHaveLength(1);
      }

      const delivered = (await receiver.waitForRequests(2)).map((r) => JSON.parse(r.body));
      expect(delivered).toHaveLength(2);
      for (const envelope of delivered) {
        expect(envelope).toMatchObject({
          event_type: EXPECTED[name].event_type,
          data: expect.objectContaining(DELIVERED_DATA[name]),
          metadata: expect.objectContaining({ provider: 'yclients' }),
        });
      }
      expect(delivered.map((d) => d.metadata.source_id).sort()).toEqual([routed.source_id, byPath.source_id].sort());
    });
  });

  it('answers a repeated notification, even re-encoded, with 200 duplicate and the first id', async () => {
    const source = await createSource();
    const { body } = fixture('record-create');
    const first = await post(`${ROUTE}?token=${source.secret}`, body).expect(202);
    const again = await post(`${ROUTE}?token=${source.secret}`, body).expect(200);
    expect(again.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    // The same change in other bytes: pretty-printed, unescaped, "+05:00" instead of "+0500".
    const reencoded = JSON.parse(body);
    reencoded.data.last_change_date = '2025-07-13T11:49:08+05:00';
    const third = await post(`${ROUTE}?token=${source.secret}`, JSON.stringify(reencoded, null, 2)).expect(200);
    expect(third.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    expect(await inboundList(source.source_id)).toHaveLength(1);
  });

  describe('refusals store nothing', () => {
    it('401 INVALID_SIGNATURE for a wrong or missing token', async () => {
      const source = await createSource();
      const { body } = fixture('record-create');
      const wrong = await post(`${ROUTE}?token=not-the-secret`, body).expect(401);
      expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
      const missing = await post(ROUTE, body).expect(401);
      expect(missing.body.error).toMatchObject({ code: 'INVALID_SIGNATURE', message: expect.stringMatching(/token/) });
      expect(await inboundList(source.source_id)).toHaveLength(0);
    });

    it('404 for a company no source is connected to, or a body without company_id', async () => {
      const source = await createSource();
      const body = fixture('record-create').body.replace('"company_id":307626', '"company_id":1');
      const unknown = await post(`${ROUTE}?token=${source.secret}`, body).expect(404);
      expect(unknown.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/company_id=1/) });
      const none = await post(`${ROUTE}?token=${source.secret}`, '{"resource":"record"}').expect(404);
      expect(none.body.error.code).toBe('NOT_FOUND');
      expect(await inboundList(source.source_id)).toHaveLength(0);
    });

    it('400 for malformed JSON and an empty body, 415 for another content type', async () => {
      const source = await createSource();
      const bad = await post(`${ROUTE}?token=${source.secret}`, '{"company_id": 307626,').expect(400);
      expect(bad.body.error.code).toBe('INVALID_JSON');
      const empty = await post(`${ROUTE}?token=${source.secret}`, '').expect(400);
      expect(empty.body.error.code).toBe('VALIDATION_FAILED');
      const text = await post(`${ROUTE}?token=${source.secret}`, '{}', 'text/plain').expect(415);
      expect(text.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await inboundList(source.source_id)).toHaveLength(0);
    });

    it('403 for a disabled source', async () => {
      const source = await createSource();
      await request(t.http)
        .patch(`/api/v1/sources/${source.source_id}`)
        .set(tenant.auth)
        .send({ active: false })
        .expect(200);
      const res = await post(`${ROUTE}?token=${source.secret}`, fixture('record-create').body).expect(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });
  });

  it('stores a body the normaliser cannot read, then marks it failed with a readable error', async () => {
    const source = await createSource();
    const noStatus = await post(
      `${ROUTE}?token=${source.secret}`,
      JSON.stringify({ company_id: COMPANY, resource: 'record', resource_id: 5, data: { id: 5 } }),
    ).expect(202);
    const failed = await settled(noStatus.body.data.webhook_event_id, 'failed');
    expect(failed).toMatchObject({ retry_count: 1, max_retries: 0, error: expect.stringMatching(/status is missing/) });

    const noCompany = await post(
      `/api/v1/ingest/${source.source_id}?token=${source.secret}`,
      JSON.stringify({ hello: 'world' }),
    ).expect(202);
    const failedToo = await settled(noCompany.body.data.webhook_event_id, 'failed');
    expect(failedToo.error).toMatch(/company_id is missing/);
    expect(receiver.requests).toHaveLength(0);
  });

  describe('reconciliation', () => {
    let api: FakeYclientsApi;

    beforeEach(async () => {
      api = await new FakeYclientsApi().start();
    });

    afterEach(async () => {
      await api.stop();
    });

    async function configOf(sourceId: string) {
      const res = await request(t.http).get(`/api/v1/sources/${sourceId}`).set(tenant.auth).expect(200);
      return res.body.data.config as Record<string, unknown>;
    }

    it('replays the records webhooks missed, never the ones received, and moves the watermark', async () => {
      const source = await createSource();
      // R1 arrives by webhook before reconciliation is configured.
      const webhook = await post(`${ROUTE}?token=${source.secret}`, fixture('record-create').body).expect(202);
      await settled(webhook.body.data.webhook_event_id);

      api.records = [
        apiRecord(596792980, '2025-07-13T11:49:08+0500', '2025-07-13T11:49:08+0500'), // R1: already received
        apiRecord(596792981, '2025-07-13T12:00:00+0500', '2025-07-13T12:00:00+0500'), // R2: created, missed
        apiRecord(596792982, '2025-07-13T09:00:00+0500', '2025-07-13T12:30:00+0500', { comment: 'moved' }), // R3
        apiRecord(596792983, '2025-07-13T09:00:00+0500', '2025-07-13T12:40:00+0500', { deleted: true }), // R4
      ];
      await request(t.http)
        .patch(`/api/v1/sources/${source.source_id}`)
        .set(tenant.auth)
        .send({
          config: {
            company_id: COMPANY,
            max_retries: 0,
            api_url: api.url(),
            partner_token: 'partner-token-123',
            user_token: 'user-token-456',
            reconcile_interval_s: 1,
            reconciled_until: '2025-07-13T11:00:00+05:00',
          },
        })
        .expect(200);

      const list = await eventually(async () => {
        const items = await inboundList(source.source_id);
        return items.length === 4 && items.every((i) => i.status === 'completed') ? items : undefined;
      });
      const byId = Object.fromEntries(list.map((i) => [i.entity_id, i]));
      expect(Object.keys(byId).sort()).toEqual(['596792980', '596792981', '596792982', '596792983']);
      expect(byId['596792980'].id).toBe(webhook.body.data.webhook_event_id);
      expect(byId['596792981'].event_type).toBe('record.created');
      expect(byId['596792982'].event_type).toBe('record.updated');
      expect(byId['596792983'].event_type).toBe('record.deleted');
      const replayed = await inbound(byId['596792982'].id);
      expect(replayed).toMatchObject({
        entity_key: 'yclients:307626:record:596792982',
        event_subtype: 'record_updated',
        execution_context: expect.objectContaining({ received_via: 'reconciliation' }),
      });

      const [first] = api.requests;
      expect(first.url.pathname).toBe(`/api/v1/records/${COMPANY}`);
      expect(first.url.searchParams.get('changed_after')).toBe('2025-07-13T10:59:00+05:00');
      expect(first.headers).toMatchObject({
        authorization: 'Bearer partner-token-123, User user-token-456',
        accept: 'application/vnd.yclients.v2+json',
      });
      await eventually(async () =>
        (await configOf(source.source_id)).reconciled_until === '2025-07-13T12:40:00+05:00' ? true : undefined,
      );

      const delivered = await receiver.waitForRequests(4);
      const types = delivered.map((d) => JSON.parse(d.body)).map((e) => `${e.event_type}:${e.data.resource_id}`);
      expect(types.sort()).toEqual([
        'record.created:596792980',
        'record.created:596792981',
        'record.deleted:596792983',
        'record.updated:596792982',
      ]);

      // Later runs ask from the new watermark (less the overlap) and store the next change only.
      const askedAfter = (since: string) => async () =>
        api.requests.some((r) => r.url.searchParams.get('changed_after') === since) ? true : undefined;
      await eventually(askedAfter('2025-07-13T12:39:00+05:00'), 15_000, 'a run from the new watermark');
      api.records.push(apiRecord(596792984, '2025-07-13T13:00:00+0500', '2025-07-13T13:00:00+0500'));
      await eventually(async () => ((await inboundList(source.source_id)).length === 5 ? true : undefined));
      await eventually(askedAfter('2025-07-13T12:59:00+05:00'), 15_000, 'a run from the watermark of R5');
      expect((await configOf(source.source_id)).reconciled_until).toBe('2025-07-13T13:00:00+05:00');
      await receiver.waitForRequests(5);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await inboundList(source.source_id)).toHaveLength(5);
      expect(receiver.requests).toHaveLength(5);
    });

    it('runs only where workers run: an APP_ROLE=api process never calls the API', async () => {
      const apiOnly = await startApp({ ...ENV, APP_ROLE: 'api' });
      try {
        await t.close();
        t = apiOnly;
        tenant = await createTenant(t.http);
        await createSource({
          company_id: COMPANY,
          api_url: api.url(),
          partner_token: 'partner-token-123',
          reconcile_interval_s: 1,
        });
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        expect(api.requests).toHaveLength(0);
      } finally {
        for (const id of created.splice(0)) await request(t.http).delete(`/api/v1/sources/${id}`).set(tenant.auth);
        await apiOnly.close();
        t = await startApp(ENV);
      }
    });

    it('a failing API call stores nothing and keeps the watermark', async () => {
      api.authorization = 'Bearer another-partner';
      api.records = [apiRecord(596792990, '2025-07-13T12:00:00+0500', '2025-07-13T12:00:00+0500')];
      const source = await createSource({
        company_id: COMPANY,
        api_url: api.url(),
        partner_token: 'partner-token-123',
        reconcile_interval_s: 1,
        reconciled_until: '2025-07-13T11:00:00+05:00',
      });
      await eventually(async () => (api.requests.length >= 2 ? true : undefined));
      expect(api.requests[0].headers.authorization).toBe('Bearer partner-token-123');
      expect(await inboundList(source.source_id)).toHaveLength(0);
      expect((await configOf(source.source_id)).reconciled_until).toBe('2025-07-13T11:00:00+05:00');
    });
  });
});
