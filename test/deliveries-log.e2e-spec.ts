import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

/**
 * The tenant-wide delivery log, GET /api/v1/deliveries (issue #11): every filter alone and
 * combined, each refused value, keyset paging with no duplicate or gap while deliveries keep
 * arriving, and tenant isolation. The deliveries are real: sent to receivers on 127.0.0.1 that
 * answer 200, 500 (dead after the one retry of the schedule) or 503 with Retry-After: 3600
 * (retrying for an hour).
 */

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms',
  SWEEP_INTERVAL: '500ms',
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const HOUR = 3_600_000;

interface Item {
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt: number;
  http_status: number | null;
  response_time_ms: number | null;
  next_attempt_at: string | null;
  created_at: string;
  [field: string]: unknown;
}

interface LogPage {
  data: Item[];
  meta: { pagination: { limit: number; next_cursor: string | null } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Tenant-wide delivery log (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  const receivers = { ok: new Receiver(), failing: new Receiver(), busy: new Receiver() };
  const hooks: Record<'ok' | 'dead' | 'busy' | 'cancelled' | 'otherOk', string> = {
    ok: '',
    dead: '',
    busy: '',
    cancelled: '',
    otherOk: '',
  };
  const events: Record<'won' | 'lost' | 'lead' | 'status' | 'task' | 'otherWon', string> = {
    won: '',
    lost: '',
    lead: '',
    status: '',
    task: '',
    otherWon: '',
  };
  /** A time between the deal events and the lead events. */
  let middle: string;
  /** The whole log of `tenant`, newest first, as the first page answers it. */
  let all: Item[];

  async function subscribe(who: TestTenant, url: string, events: string[]): Promise<string> {
    const res = await request(t.http).post('/api/v1/webhooks').set(who.auth).send({ name: 'sub', url, events });
    expect(res.status).toBe(201);
    return res.body.data.webhook_id as string;
  }

  async function publish(who: TestTenant, eventType: string, data: Record<string, unknown>): Promise<string> {
    const res = await request(t.http).post('/api/v1/events').set(who.auth).send({ event_type: eventType, data });
    expect(res.status).toBe(202);
    return res.body.data.event_id as string;
  }

  async function log(query = '', who: TestTenant = tenant): Promise<LogPage> {
    const res = await request(t.http).get(`/api/v1/deliveries${query}`).set(who.auth);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
    return res.body as LogPage;
  }

  async function ids(query: string, who: TestTenant = tenant): Promise<string[]> {
    return (await log(query, who)).data.map((d) => d.delivery_id);
  }

  /** The ids of `all` that satisfy `keep`, in the log's order. */
  function expected(keep: (d: Item) => boolean): string[] {
    return all.filter(keep).map((d) => d.delivery_id);
  }

  async function refused(query: string, field: string) {
    const res = await request(t.http).get(`/api/v1/deliveries${query}`).set(tenant.auth);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    return res.body.error as { message: string; details: { field: string; message: string }[] };
  }

  /** Waits until the log holds exactly `counts` deliveries by status. */
  async function waitForStatuses(counts: Record<string, number>): Promise<void> {
    const want = JSON.stringify(Object.entries(counts).sort());
    await eventually(
      async () => {
        const seen: Record<string, number> = {};
        for (const d of (await log('?limit=100')).data) seen[d.status] = (seen[d.status] ?? 0) + 1;
        return JSON.stringify(Object.entries(seen).sort()) === want ? seen : undefined;
      },
      20_000,
      `deliveries ${want}`,
    );
  }

  beforeAll(async () => {
    t = await startApp(ENV);
    await receivers.ok.start();
    await receivers.failing.start();
    await receivers.busy.start();
    receivers.failing.reply = () => ({ status: 500, body: 'down' });
    receivers.busy.reply = () => ({ status: 503, headers: { 'Retry-After': '3600' }, body: 'busy' });
    tenant = await createTenant(t.http, 'Log tenant');
    other = await createTenant(t.http, 'Other tenant');

    hooks.ok = await subscribe(tenant, receivers.ok.url(), ['deal.*', 'lead.created']);
    hooks.dead = await subscribe(tenant, receivers.failing.url(), ['deal.lost']);
    hooks.busy = await subscribe(tenant, receivers.busy.url(), ['lead.*']);
    hooks.cancelled = await subscribe(tenant, receivers.busy.url(), ['task.created']);
    hooks.otherOk = await subscribe(other, receivers.ok.url(), ['*']);

    events.won = await publish(tenant, 'deal.won', { customer: 'Ann Smith', amount: 100 });
    events.lost = await publish(tenant, 'deal.lost', { customer: 'Bob Jones', reason: 'price' });
    await waitForStatuses({ success: 2, dead: 1 });
    await sleep(50);
    middle = new Date().toISOString();
    await sleep(50);
    events.lead = await publish(tenant, 'lead.created', { name: 'Carol', note: '100% sure' });
    events.status = await publish(tenant, 'lead.status_changed', { name: 'Dave', note: 'callxback' });
    events.task = await publish(tenant, 'task.created', { title: 'call_back' });
    events.otherWon = await publish(other, 'deal.won', { customer: 'Ann Smith', amount: 100 });
    await waitForStatuses({ success: 3, dead: 1, retrying: 3 });
    const off = await request(t.http)
      .patch(`/api/v1/webhooks/${hooks.cancelled}`)
      .set(tenant.auth)
      .send({ active: false });
    expect(off.status).toBe(200);
    await waitForStatuses({ success: 3, dead: 1, retrying: 2, cancelled: 1 });
    all = (await log('?limit=100')).data;
  });

  afterAll(async () => {
    await Promise.all(Object.values(receivers).map((r) => r.stop()));
    await t?.close();
  });

  describe('listing', () => {
    it('lists every delivery of the tenant, newest first, on one page with next_cursor null', async () => {
      const page = await log();
      expect(page.meta.pagination).toEqual({ limit: 20, next_cursor: null });
      expect(page.data).toHaveLength(7);
      expect(new Set(page.data.map((d) => d.event_id))).toEqual(
        new Set([events.won, events.lost, events.lead, events.status, events.task]),
      );
      const order = page.data.map((d) => [Date.parse(d.created_at), d.delivery_id] as const);
      const sorted = [...order].sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? 1 : a[1] > b[1] ? -1 : 0));
      expect(order).toEqual(sorted);
      expect(
        page.data
          .slice(-3)
          .map((d) => d.event_type)
          .sort(),
      ).toEqual(['deal.lost', 'deal.lost', 'deal.won']);
    });

    it('gives each item its last attempt: http_status, response_time_ms, attempt and next_attempt_at', async () => {
      const byHook = (hook: string, eventId: string) =>
        all.find((d) => d.webhook_id === hook && d.event_id === eventId)!;
      expect(byHook(hooks.ok, events.won)).toMatchObject({
        status: 'success',
        event_type: 'deal.won',
        attempt: 1,
        http_status: 200,
        response_time_ms: expect.any(Number),
        next_attempt_at: null,
        created_at: expect.stringMatching(ISO),
        original_delivery_id: null,
      });
      expect(byHook(hooks.dead, events.lost)).toMatchObject({
        status: 'dead',
        attempt: 2,
        http_status: 500,
        response_time_ms: expect.any(Number),
        next_attempt_at: null,
      });
      const retrying = byHook(hooks.busy, events.lead);
      expect(retrying).toMatchObject({ status: 'retrying', attempt: 1, http_status: 503 });
      expect(Date.parse(retrying.next_attempt_at!) - Date.now()).toBeGreaterThan(HOUR - 5 * 60_000);
      expect(byHook(hooks.cancelled, events.task)).toMatchObject({
        status: 'cancelled',
        attempt: 1,
        http_status: 503,
        next_attempt_at: null,
      });
    });

    it('answers the same detail at /api/v1/deliveries/{id} as at /api/v1/webhooks/deliveries/{id}', async () => {
      const dead = all.find((d) => d.status === 'dead')!;
      const viaLog = await request(t.http).get(`/api/v1/deliveries/${dead.delivery_id}`).set(tenant.auth).expect(200);
      const viaWebhooks = await request(t.http)
        .get(`/api/v1/webhooks/deliveries/${dead.delivery_id}`)
        .set(tenant.auth)
        .expect(200);
      expect(viaLog.body.data).toEqual(viaWebhooks.body.data);
      expect(viaLog.body.data).toMatchObject({
        delivery_id: dead.delivery_id,
        status: 'dead',
        response_time_ms: dead.response_time_ms,
        response: { status: 500, body: 'down' },
      });
      expect(viaLog.body.data.attempts.map((a: { http_status: number }) => a.http_status)).toEqual([500, 500]);
    });

    it('answers 404 NOT_FOUND for an unknown delivery id', async () => {
      const res = await request(t.http).get('/api/v1/deliveries/dlv_doesnotexist').set(tenant.auth);
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    });

    it('asks for an API key', async () => {
      expect((await request(t.http).get('/api/v1/deliveries')).status).toBe(401);
    });
  });

  describe('filters', () => {
    it('filters by webhook_id', async () => {
      expect(await ids(`?webhook_id=${hooks.dead}`)).toEqual(expected((d) => d.webhook_id === hooks.dead));
      expect(await ids(`?webhook_id=${hooks.ok}`)).toEqual(expected((d) => d.webhook_id === hooks.ok));
      expect(await ids(`?webhook_id=${hooks.ok}`)).toHaveLength(3);
      expect(await ids('?webhook_id=wh_doesnotexist')).toEqual([]);
    });

    it.each([
      ['success', ['success'], 3],
      ['dead', ['dead'], 1],
      ['retrying', ['retrying'], 2],
      ['cancelled', ['cancelled'], 1],
      ['failed', ['retrying', 'dead'], 3],
      ['queued', ['queued'], 0],
      ['sending', ['sending'], 0],
    ])('filters by status=%s', async (status, statuses, count) => {
      const found = await ids(`?status=${status}`);
      expect(found).toEqual(expected((d) => statuses.includes(d.status)));
      expect(found).toHaveLength(count);
    });

    it.each([
      ['deal.won', 1],
      ['deal.*', 3],
      ['lead.*', 3],
      ['lead.created', 2],
      ['*', 7],
      ['lead', 0],
      ['deal.won.*', 0],
    ])('filters by event_type=%s', async (pattern, count) => {
      const matches = (type: string) =>
        pattern === '*' || type === pattern || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1)));
      const found = await ids(`?event_type=${encodeURIComponent(pattern)}`);
      expect(found).toEqual(expected((d) => matches(d.event_type)));
      expect(found).toHaveLength(count);
    });

    it('filters by event_id', async () => {
      const found = await ids(`?event_id=${events.lead}`);
      expect(found).toEqual(expected((d) => d.event_id === events.lead));
      expect(found).toHaveLength(2);
    });

    it.each([
      [200, 3],
      [500, 1],
      [503, 3],
      [404, 0],
    ])('filters by http_status=%s (of the last attempt)', async (status, count) => {
      const found = await ids(`?http_status=${status}`);
      expect(found).toEqual(expected((d) => d.http_status === status));
      expect(found).toHaveLength(count);
    });

    it('filters by since and until (until exclusive)', async () => {
      const later = expected((d) => d.created_at >= middle);
      expect(later).toHaveLength(4);
      expect(await ids(`?since=${encodeURIComponent(middle)}`)).toEqual(later);
      expect(await ids(`?until=${encodeURIComponent(middle)}`)).toEqual(expected((d) => d.created_at < middle));
      expect(await ids(`?since=${encodeURIComponent(middle)}&until=${encodeURIComponent(middle)}`)).toEqual([]);
      const first = all[all.length - 1].created_at;
      expect(await ids(`?until=${encodeURIComponent(first)}`)).toEqual([]);
    });

    it('finds text of the event data with q, case-insensitively, wildcards taken literally', async () => {
      expect(await ids('?q=ann%20smith')).toEqual(expected((d) => d.event_id === events.won));
      expect(await ids('?q=%22customer%22%3A%22Bob')).toEqual(expected((d) => d.event_id === events.lost));
      expect(await ids(`?q=${encodeURIComponent('100%')}`)).toEqual(expected((d) => d.event_id === events.lead));
      expect(await ids('?q=call_back')).toEqual(expected((d) => d.event_id === events.task));
      expect(await ids('?q=nobody%20here')).toEqual([]);
    });

    it('combines filters', async () => {
      expect(await ids('?status=failed&event_type=lead.*')).toEqual(
        expected((d) => d.status === 'retrying' && d.event_type.startsWith('lead.')),
      );
      expect(await ids('?status=failed&event_type=lead.*')).toHaveLength(2);
      expect(await ids(`?webhook_id=${hooks.ok}&event_type=deal.*&http_status=200`)).toEqual(
        expected((d) => d.webhook_id === hooks.ok && d.event_type.startsWith('deal.')),
      );
      expect(await ids('?status=success&q=bob')).toEqual(
        expected((d) => d.status === 'success' && d.event_id === events.lost),
      );
      expect(await ids(`?event_id=${events.lost}&status=dead&http_status=500&webhook_id=${hooks.dead}`)).toEqual(
        expected((d) => d.webhook_id === hooks.dead),
      );
      expect(await ids(`?since=${encodeURIComponent(middle)}&status=success`)).toEqual(
        expected((d) => d.created_at >= middle && d.status === 'success'),
      );
      expect(await ids(`?event_id=${events.lost}&status=success&webhook_id=${hooks.dead}`)).toEqual([]);
    });

    it('accepts status=failed on the log of one webhook too', async () => {
      const res = await request(t.http).get(`/api/v1/webhooks/${hooks.busy}/deliveries?status=failed`).set(tenant.auth);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: Item) => d.status)).toEqual(['retrying', 'retrying']);
      expect(res.body.meta.pagination.total).toBe(2);
    });

    it('refuses since after until on the log of one webhook too', async () => {
      const res = await request(t.http)
        .get(`/api/v1/webhooks/${hooks.busy}/deliveries?since=2025-01-10T00:00:00Z&until=2025-01-09T00:00:00Z`)
        .set(tenant.auth);
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'until', message: 'until must not be earlier than since' }]);
    });
  });

  describe('refused values', () => {
    it('refuses an unknown status, naming the allowed values', async () => {
      const error = await refused('?status=failing', 'status');
      expect(error.details[0].message).toBe(
        'status must be one of queued, sending, success, retrying, dead, cancelled, failed',
      );
    });

    it('refuses since after until', async () => {
      const error = await refused('?since=2025-01-10T00:00:00Z&until=2025-01-09T00:00:00Z', 'until');
      expect(error.details).toEqual([{ field: 'until', message: 'until must not be earlier than since' }]);
    });

    it('refuses q over 200 characters, and takes 200', async () => {
      await refused(`?q=${'x'.repeat(201)}`, 'q');
      expect(await ids(`?q=${'x'.repeat(200)}`)).toEqual([]);
    });

    it.each([
      ['?cursor=abc', 'a made-up string'],
      [`?cursor=${Buffer.from('2025-01-09T12:00:05.123456Z').toString('base64url')}`, 'a time alone'],
      [`?cursor=${Buffer.from('2025-02-30T12:00:05.123456Z dlv_1').toString('base64url')}`, 'no such day'],
      [`?cursor=${Buffer.from("x' OR '1'='1").toString('base64url')}`, 'SQL'],
      ['?cursor=', 'empty'],
    ])('refuses a malformed cursor: %s (%s)', async (query) => {
      await refused(query, 'cursor');
    });

    it.each([
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?offset=20', 'offset'],
      ['?http_status=99', 'http_status'],
      ['?http_status=600', 'http_status'],
      ['?http_status=5xx', 'http_status'],
      ['?event_type=Deal.Won', 'event_type'],
      ['?event_type=deal.*.won', 'event_type'],
      ['?event_id=dlv_123', 'event_id'],
      ['?webhook_id=evt_123', 'webhook_id'],
      ['?since=yesterday', 'since'],
      ['?until=2025-13-01T00:00:00Z', 'until'],
      ['?q=', 'q'],
      ['?status=dead&status=failed', 'status'],
      ['?colour=blue', 'colour'],
    ])('refuses %s', async (query, field) => {
      await refused(query, field);
    });
  });

  describe('keyset paging', () => {
    it('pages one by one through every delivery, in the log order, then next_cursor is null', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: LogPage = await log(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.meta.pagination.limit).toBe(1);
        seen.push(...page.data.map((d) => d.delivery_id));
        cursor = page.meta.pagination.next_cursor;
      } while (cursor && seen.length < 20);
      expect(seen).toEqual(all.map((d) => d.delivery_id));
    });

    it('keeps its filters from page to page', async () => {
      const first = await log('?limit=2&status=failed');
      expect(first.data).toHaveLength(2);
      const second = await log(`?limit=2&status=failed&cursor=${first.meta.pagination.next_cursor}`);
      expect(second.meta.pagination.next_cursor).toBeNull();
      expect([...first.data, ...second.data].map((d) => d.delivery_id)).toEqual(
        expected((d) => d.status === 'retrying' || d.status === 'dead'),
      );
    });

    it('has no duplicate and no gap while new deliveries arrive, and shows them on a new first page', async () => {
      const seen: string[] = [];
      let page = await log('?limit=2');
      seen.push(...page.data.map((d) => d.delivery_id));
      const arrived: string[] = [];
      for (let i = 0; page.meta.pagination.next_cursor; i++) {
        arrived.push(await publish(tenant, 'deal.won', { customer: `Newcomer ${i}` }));
        page = await log(`?limit=2&cursor=${page.meta.pagination.next_cursor}`);
        seen.push(...page.data.map((d) => d.delivery_id));
      }
      expect(seen).toEqual(all.map((d) => d.delivery_id));
      expect(arrived.length).toBeGreaterThan(0);
      const fresh = await log(`?limit=${arrived.length}`);
      expect(fresh.data.map((d) => d.event_id)).toEqual([...arrived].reverse());
      expect(fresh.meta.pagination.next_cursor).not.toBeNull();
      all = (await log('?limit=100')).data;
    });

    it('orders deliveries created in the same instant by id, across pages', async () => {
      const same = await log(`?event_id=${events.lead}&limit=1`);
      const rest = await log(`?event_id=${events.lead}&limit=1&cursor=${same.meta.pagination.next_cursor}`);
      const pair = [same.data[0], rest.data[0]];
      expect(pair[0].created_at).toBe(pair[1].created_at);
      expect(pair[0].delivery_id > pair[1].delivery_id).toBe(true);
      expect(rest.meta.pagination.next_cursor).toBeNull();
    });
  });

  describe('tenant isolation', () => {
    it("never lists another tenant's deliveries, whatever the filter", async () => {
      const theirs = await log('', other);
      expect(theirs.data.map((d) => d.event_id)).toEqual([events.otherWon]);
      expect(await ids('?q=ann%20smith', other)).toEqual(theirs.data.map((d) => d.delivery_id));
      expect(await ids(`?webhook_id=${hooks.otherOk}`)).toEqual([]);
      expect(await ids(`?event_id=${events.otherWon}`)).toEqual([]);
      expect(await ids(`?webhook_id=${hooks.ok}`, other)).toEqual([]);
      expect(await ids(`?event_id=${events.won}`, other)).toEqual([]);
    });

    it("answers 404 for another tenant's delivery", async () => {
      const [theirs] = (await log('', other)).data;
      const res = await request(t.http).get(`/api/v1/deliveries/${theirs.delivery_id}`).set(tenant.auth);
      expect({ status: res.status, code: res.body.error?.code, data: res.body.data }).toEqual({
        status: 404,
        code: 'NOT_FOUND',
        data: undefined,
      });
    });

    it("reads a cursor as a position only: another tenant's cursor pages through the caller's own log", async () => {
      const mine = await log('?limit=1');
      const theirs = await log(`?cursor=${mine.meta.pagination.next_cursor}`, other);
      expect(theirs.data.every((d) => d.webhook_id === hooks.otherOk)).toBe(true);
    });
  });
});
