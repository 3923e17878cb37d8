import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { settledInbound } from './helpers/inbound';
import { kommoForm } from './helpers/providers';
import { eventually, Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '200ms',
  SWEEP_INTERVAL: '300ms',
  // a failed delivery stays `retrying` for the whole spec
  DELIVERY_RETRY_SCHEDULE: '1h',
};
const SECRET = 'events-log-source-secret';

interface LogItem {
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  source: string;
  source_id: string | null;
  inbound_event_id: string | null;
  idempotency_key: string | null;
  entity_key: string | null;
  created_at: string;
  deliveries_count: number;
  failed_deliveries_count: number;
}

interface LogAnswer {
  data: LogItem[];
  meta: { trace_id: string; pagination: { limit: number; next_cursor: string | null } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GET /api/v1/events: the tenant-wide event log (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let receiver: Receiver;
  /** Event ids by name, as published. */
  const ids: Record<string, string> = {};
  /** A time after the first three events and before the others. */
  let middle: string;

  async function publish(who: TestTenant, body: Record<string, unknown>): Promise<string> {
    const res = await request(t.http).post('/api/v1/events').set(who.auth).send(body).expect(202);
    return res.body.data.event_id as string;
  }

  async function log(query: Record<string, string | number> = {}, who: TestTenant = tenant): Promise<LogAnswer> {
    const res = await request(t.http).get('/api/v1/events').query(query).set(who.auth);
    expect(res.status).toBe(200);
    return res.body as LogAnswer;
  }

  const idsOf = (answer: LogAnswer) => answer.data.map((e) => e.event_id);

  /** Follows next_cursor from the first page to the last; every page's ids in order. */
  async function allPages(query: Record<string, string | number>, who: TestTenant = tenant): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const answer = await log(cursor ? { ...query, cursor } : query, who);
      pages.push(idsOf(answer));
      cursor = answer.meta.pagination.next_cursor;
      expect(pages.length).toBeLessThan(100);
    } while (cursor);
    return pages;
  }

  beforeAll(async () => {
    t = await startApp(ENV);
    tenant = await createTenant(t.http, 'Event log tenant');
    other = await createTenant(t.http, 'Another tenant');
    receiver = await new Receiver().start();
    receiver.reply = (r) => (r.path === '/failing' ? { status: 500 } : { status: 200 });
    for (const [name, url, events] of [
      ['deals', receiver.url('/ok'), ['deal.*']],
      ['lost deals', receiver.url('/failing'), ['deal.lost']],
    ] as const) {
      await request(t.http).post('/api/v1/webhooks').set(tenant.auth).send({ name, url, events }).expect(201);
    }
    ids.won = await publish(tenant, {
      event_type: 'deal.won',
      data: { deal_id: 1, customer: 'Jane Doe', amount: '500.00' },
      entity_key: 'crm:acme:deal:1',
      idempotency_key: 'deal-1-won',
    });
    ids.lost = await publish(tenant, {
      event_type: 'deal.lost',
      data: { deal_id: 2, customer: 'John Smith' },
      entity_key: 'crm:acme:deal:2',
    });
    ids.lead = await publish(tenant, {
      event_type: 'lead.created',
      data: { lead_id: 3, note: 'Discount 50% off for JANE' },
      metadata: { origin: 'form' },
      entity_key: 'crm:acme:deal:1',
    });
    await sleep(20);
    middle = new Date().toISOString();
    await sleep(20);
    ids.underscore = await publish(tenant, { event_type: 'lead_status.changed', data: { lead_id: 4 } });
    ids.lookalike = await publish(tenant, { event_type: 'leadxstatus.changed', data: { lead_id: 5 } });
    ids.dealUpdated = await publish(tenant, {
      event_type: 'deal.updated',
      data: { deal_id: 1, customer: 'Jane Doe', stage: 'negotiation' },
      entity_key: 'crm:acme:deal:1',
    });
    ids.foreign = await publish(other, {
      event_type: 'deal.won',
      data: { deal_id: 1, customer: 'Jane Doe' },
      entity_key: 'crm:acme:deal:1',
    });
    // the failing endpoint answered its first attempt: the lost deal has a delivery `retrying`
    await receiver.waitForRequests(4);
    await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/events/${ids.lost}`).set(tenant.auth).expect(200);
      const statuses = (res.body.data.deliveries as { status: string }[]).map((d) => d.status).sort();
      return statuses.join() === 'retrying,success' ? true : undefined;
    });
  });

  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  it("lists the tenant's events newest first, with the event's fields and its delivery counts", async () => {
    const answer = await log();
    expect(idsOf(answer)).toEqual([ids.dealUpdated, ids.lookalike, ids.underscore, ids.lead, ids.lost, ids.won]);
    expect(answer.meta.pagination).toEqual({ limit: 20, next_cursor: null });
    const won = answer.data.find((e) => e.event_id === ids.won)!;
    expect(won).toEqual({
      event_id: ids.won,
      event_type: 'deal.won',
      data: { deal_id: 1, customer: 'Jane Doe', amount: '500.00' },
      metadata: {},
      source: 'api',
      source_id: null,
      inbound_event_id: null,
      idempotency_key: 'deal-1-won',
      entity_key: 'crm:acme:deal:1',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      deliveries_count: 1,
      failed_deliveries_count: 0,
    });
    const lost = answer.data.find((e) => e.event_id === ids.lost)!;
    expect([lost.deliveries_count, lost.failed_deliveries_count]).toEqual([2, 1]);
    const lead = answer.data.find((e) => e.event_id === ids.lead)!;
    expect([lead.deliveries_count, lead.metadata]).toEqual([0, { origin: 'form' }]);
    // the detail shows the same fields, with the list of deliveries
    const detail = await request(t.http).get(`/api/v1/events/${ids.won}`).set(tenant.auth).expect(200);
    const { deliveries_count: _count, failed_deliveries_count: _failed, ...fields } = won;
    expect(detail.body.data).toEqual({ ...fields, deliveries: [expect.objectContaining({ status: 'success' })] });
  });

  it("shows only the tenant's own events", async () => {
    expect(idsOf(await log({}, other))).toEqual([ids.foreign]);
    expect(idsOf(await log({ entity_key: 'crm:acme:deal:1' }, other))).toEqual([ids.foreign]);
    expect(idsOf(await log({ q: 'jane' }))).not.toContain(ids.foreign);
  });

  it.each([
    ['deal.won', ['won']],
    ['deal.*', ['dealUpdated', 'lost', 'won']],
    ['lead_status.*', ['underscore']],
    ['lead.*', ['lead']],
    ['*', ['dealUpdated', 'lookalike', 'underscore', 'lead', 'lost', 'won']],
    ['task.*', []],
  ])('filters by event_type=%s', async (pattern, expected) => {
    expect(idsOf(await log({ event_type: pattern }))).toEqual(expected.map((name) => ids[name]));
  });

  it('filters by entity_key', async () => {
    expect(idsOf(await log({ entity_key: 'crm:acme:deal:1' }))).toEqual([ids.dealUpdated, ids.lead, ids.won]);
    expect(idsOf(await log({ entity_key: 'crm:acme:deal:404' }))).toEqual([]);
  });

  it('filters by since (inclusive) and until (exclusive)', async () => {
    expect(idsOf(await log({ since: middle }))).toEqual([ids.dealUpdated, ids.lookalike, ids.underscore]);
    expect(idsOf(await log({ until: middle }))).toEqual([ids.lead, ids.lost, ids.won]);
    expect(idsOf(await log({ since: middle, until: middle }))).toEqual([]);
    const won = (await log({ event_type: 'deal.won' })).data[0];
    expect(idsOf(await log({ since: won.created_at, until: middle }))).toContain(ids.won);
  });

  it('searches the event data with q: any case, % and _ taken literally', async () => {
    expect(idsOf(await log({ q: 'jane' }))).toEqual([ids.dealUpdated, ids.lead, ids.won]);
    expect(idsOf(await log({ q: '50%' }))).toEqual([ids.lead]);
    // an unescaped _ would match the space of "Jane Doe"
    expect(idsOf(await log({ q: 'ne_do' }))).toEqual([]);
    expect(idsOf(await log({ q: 'ne do' }))).toEqual([ids.dealUpdated, ids.won]);
    expect(idsOf(await log({ q: '"stage":"negotiation"' }))).toEqual([ids.dealUpdated]);
    expect(idsOf(await log({ q: 'origin' }))).toEqual([]);
  });

  it('combines filters with AND', async () => {
    expect(idsOf(await log({ event_type: 'deal.*', entity_key: 'crm:acme:deal:1' }))).toEqual([
      ids.dealUpdated,
      ids.won,
    ]);
    expect(idsOf(await log({ event_type: 'deal.*', entity_key: 'crm:acme:deal:1', q: 'negotiation' }))).toEqual([
      ids.dealUpdated,
    ]);
    expect(idsOf(await log({ q: 'jane', until: middle }))).toEqual([ids.lead, ids.won]);
    expect(idsOf(await log({ event_type: 'lead.*', since: middle }))).toEqual([]);
  });

  describe('source_id', () => {
    async function createSource(name: string): Promise<string> {
      const res = await request(t.http)
        .post('/api/v1/sources')
        .set(tenant.auth)
        .send({ name, provider: 'generic', verification: { scheme: 'hmac-sha256', secret: SECRET } })
        .expect(201);
      return res.body.data.source_id as string;
    }

    async function ingest(sourceId: string, payload: Record<string, unknown>): Promise<string> {
      const body = JSON.stringify(payload);
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex');
      const res = await request(t.http)
        .post(`/api/v1/ingest/${sourceId}`)
        .set('Content-Type', 'application/json')
        .set({ 'X-Webhook-Timestamp': String(timestamp), 'X-Webhook-Signature': `sha256=${signature}` })
        .send(body)
        .expect(202);
      const inboundId = res.body.data.webhook_event_id as string;
      const done = await settledInbound(t.http, tenant.auth, inboundId, 'completed');
      return (done.events as { event_id: string }[])[0].event_id;
    }

    it('lists the events produced by one source, with their source and inbound event', async () => {
      const [orders, payments] = [await createSource('orders'), await createSource('payments')];
      const first = await ingest(orders, { event_type: 'order.created', order: { id: 1 } });
      const paid = await ingest(payments, { event_type: 'order.paid', order: { id: 1 } });
      const second = await ingest(orders, { event_type: 'order.shipped', order: { id: 1 } });

      const answer = await log({ source_id: orders });
      expect(idsOf(answer)).toEqual([second, first]);
      expect(answer.data[1]).toMatchObject({
        event_type: 'order.created',
        source: 'inbound',
        source_id: orders,
        inbound_event_id: expect.stringMatching(/^in_/),
        data: { order: { id: 1 } },
      });
      expect(idsOf(await log({ source_id: payments }))).toEqual([paid]);
      expect(idsOf(await log({ source_id: orders, event_type: 'order.created' }))).toEqual([first]);
      // another tenant's source, or one that does not exist, has no events here
      expect(idsOf(await log({ source_id: orders }, other))).toEqual([]);
      expect(idsOf(await log({ source_id: 'src_00000000000000000000000000' }))).toEqual([]);
      // events published through the API have no source
      expect(idsOf(await log())).toEqual(expect.arrayContaining([ids.won, second]));
      expect((await log({ event_type: 'deal.won' })).data[0].source_id).toBeNull();
    });
  });

  describe('keyset pages', () => {
    let pager: TestTenant;
    let published: string[];

    beforeAll(async () => {
      pager = await createTenant(t.http, 'Pager');
      published = [];
      for (let i = 0; i < 23; i++) {
        published.push(await publish(pager, { event_type: i % 3 === 0 ? 'deal.won' : 'task.created', data: { i } }));
      }
      // several events of one Kommo webhook are stored in one transaction: the same created_at
      const source = await request(t.http)
        .post('/api/v1/sources')
        .set(pager.auth)
        .send({ name: 'Kommo', provider: 'kommo' })
        .expect(201);
      const url = new URL(source.body.data.ingest_url as string);
      const pairs: Record<string, string> = { 'account[subdomain]': 'pager', 'account[id]': '777' };
      for (let i = 0; i < 7; i++) {
        pairs[`leads[add][${i}][id]`] = String(9000 + i);
        pairs[`leads[add][${i}][name]`] = `Lead ${i}`;
      }
      const res = await request(t.http)
        .post(`${url.pathname}${url.search}`)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send(kommoForm(pairs))
        .expect(202);
      const done = await settledInbound(t.http, pager.auth, res.body.data.webhook_event_id as string, 'completed');
      published.push(...(done.events as { event_id: string }[]).map((e) => e.event_id));
      expect(published).toHaveLength(30);
    });

    it('gives every event exactly once, newest first, whatever the page size', async () => {
      const kommo = (await log({ source_id: (await log({ limit: 1 }, pager)).data[0].source_id! }, pager)).data;
      expect(new Set(kommo.map((e) => e.created_at)).size).toBe(1);
      expect(kommo).toHaveLength(7);

      const newestFirst = (await log({ limit: 100 }, pager)).data;
      expect(newestFirst).toHaveLength(30);
      expect(new Set(newestFirst.map((e) => e.event_id))).toEqual(new Set(published));
      for (const limit of [1, 3, 7, 30]) {
        const pages = await allPages({ limit }, pager);
        expect(pages.flat()).toEqual(newestFirst.map((e) => e.event_id));
        expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
        expect(pages[pages.length - 1].length).toBeGreaterThan(0);
      }
      // ordered by created_at, newest first
      const times = newestFirst.map((e) => Date.parse(e.created_at));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
    });

    it('pages through a filtered log the same way, and answers the limit in meta', async () => {
      const deals = (await log({ event_type: 'deal.*', limit: 100 }, pager)).data.map((e) => e.event_id);
      expect(deals).toHaveLength(8);
      expect((await allPages({ event_type: 'deal.*', limit: 3 }, pager)).flat()).toEqual(deals);
      const first = await log({ event_type: 'deal.*', limit: 3 }, pager);
      expect(first.meta.pagination).toEqual({ limit: 3, next_cursor: expect.any(String) });
      const last = await log({ event_type: 'deal.*', limit: 8 }, pager);
      expect(last.meta.pagination).toEqual({ limit: 8, next_cursor: null });
    });

    it('does not repeat or skip events when new ones are published between pages', async () => {
      const first = await log({ limit: 10 }, pager);
      const late = await publish(pager, { event_type: 'deal.won', data: { late: true } });
      const rest = await allPages({ limit: 10, cursor: first.meta.pagination.next_cursor! }, pager);
      const seen = [...idsOf(first), ...rest.flat()];
      expect(seen).toHaveLength(30);
      expect(new Set(seen)).toEqual(new Set(published));
      expect(seen).not.toContain(late);
      expect(idsOf(await log({ limit: 1 }, pager))).toEqual([late]);
    });

    it("answers only the caller's events, whoever's page the cursor came from", async () => {
      const pagers = idsOf(await log({ limit: 100 }, pager));
      const tenants = idsOf(await log({ limit: 100 }, tenant));
      const first = await log({ limit: 2 }, pager);
      const pages = (await allPages({ cursor: first.meta.pagination.next_cursor!, limit: 100 }, tenant)).flat();
      expect(pages).toEqual(tenants);
      expect(pages.some((id) => pagers.includes(id))).toBe(false);
    });
  });

  describe('refuses a bad query with 400 VALIDATION_FAILED naming the parameter', () => {
    it.each([
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ limit: 'ten' }, 'limit'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ cursor: Buffer.from('2025-01-09T12:00:05.123456Z x').toString('base64url') }, 'cursor'],
      [{ event_type: 'Deal.Won' }, 'event_type'],
      [{ event_type: 'deal.*.won' }, 'event_type'],
      [{ entity_key: '' }, 'entity_key'],
      [{ source_id: 'wh_01jd8x4m2k7q9w3e5r6t8y0u1i' }, 'source_id'],
      [{ since: 'yesterday' }, 'since'],
      [{ until: '2025-13-01T00:00:00Z' }, 'until'],
      [{ since: '2025-01-10T00:00:00Z', until: '2025-01-09T00:00:00Z' }, 'until'],
      [{ q: 'x'.repeat(201) }, 'q'],
      [{ q: '' }, 'q'],
      [{ offset: '20' }, 'offset'],
      [{ status: 'failed' }, 'status'],
    ])('%p', async (query, field) => {
      const res = await request(t.http).get('/api/v1/events').query(query).set(tenant.auth).expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect([...new Set(res.body.error.details.map((d: { field: string }) => d.field))]).toEqual([field]);
    });

    it('names since after until in plain words', async () => {
      const res = await request(t.http)
        .get('/api/v1/events')
        .query({ since: '2025-01-10T00:00:00Z', until: '2025-01-09T00:00:00Z' })
        .set(tenant.auth)
        .expect(400);
      expect(res.body.error.details).toEqual([{ field: 'until', message: 'until must not be earlier than since' }]);
    });

    it('accepts q of exactly 200 characters', async () => {
      expect(idsOf(await log({ q: 'x'.repeat(200) }))).toEqual([]);
    });
  });

  it('needs an API key', async () => {
    await request(t.http).get('/api/v1/events').expect(401);
  });

  it('documents the route with its query parameters', async () => {
    const res = await request(t.http).get('/docs-json').expect(200);
    const operation = res.body.paths['/api/v1/events'].get;
    expect(operation.operationId).toBe('events.list');
    expect(operation.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
      ['cursor', 'entity_key', 'event_type', 'limit', 'q', 'since', 'source_id', 'until'].sort(),
    );
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400']));
  });
});
