import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver, Reply } from './helpers/receiver';

/**
 * Delivery control (issue #11): a retrying delivery sent now, its attempt count going on; recover
 * taking cancelled deliveries and defaulting `since` to 24 h ago; POST /api/v1/deliveries/retry
 * re-queueing what a filter of the log matches; PATCH {active} setting the state. Receivers on
 * 127.0.0.1 answer 503 with Retry-After: 3600 (retrying for an hour), 500 (dead after the one
 * retry of the schedule) or 200.
 */

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms',
  SWEEP_INTERVAL: '500ms',
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const BUSY: Reply = { status: 503, headers: { 'Retry-After': '3600' }, body: 'busy' };
const DOWN: Reply = { status: 500, body: 'down' };
const OK: Reply = { status: 200, body: 'ok' };

interface Item {
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt: number;
  http_status: number | null;
  original_delivery_id: string | null;
  next_attempt_at: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Delivery control (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let receivers: Receiver[] = [];

  beforeAll(async () => {
    t = await startApp(ENV);
    db = t.app.get(DataSource);
  });

  afterEach(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    receivers = [];
  });

  afterAll(async () => {
    await t?.close();
  });

  async function receiver(reply: Reply): Promise<Receiver> {
    const r = await new Receiver().start();
    r.reply = () => reply;
    receivers.push(r);
    return r;
  }

  async function subscribe(who: TestTenant, url: string, events = ['deal.won']): Promise<string> {
    const res = await request(t.http).post('/api/v1/webhooks').set(who.auth).send({ name: 'sub', url, events });
    expect(res.status).toBe(201);
    return res.body.data.webhook_id as string;
  }

  async function publish(who: TestTenant, eventType = 'deal.won', data: Record<string, unknown> = { n: 1 }) {
    const res = await request(t.http).post('/api/v1/events').set(who.auth).send({ event_type: eventType, data });
    expect(res.status).toBe(202);
    return res.body.data.event_id as string;
  }

  async function log(who: TestTenant, query = ''): Promise<Item[]> {
    const res = await request(t.http).get(`/api/v1/deliveries?limit=100${query}`).set(who.auth);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
    return res.body.data as Item[];
  }

  /** Waits until `query` of the log matches `count` deliveries; answers them. */
  async function waitForLog(who: TestTenant, query: string, count: number): Promise<Item[]> {
    return eventually(
      async () => {
        const items = await log(who, query);
        return items.length === count ? items : undefined;
      },
      20_000,
      `${count} deliveries matching ${query}`,
    );
  }

  async function setActive(who: TestTenant, webhookId: string, active: unknown) {
    return request(t.http).patch(`/api/v1/webhooks/${webhookId}`).set(who.auth).send({ active });
  }

  async function retryMatching(who: TestTenant, body: unknown) {
    return request(t.http)
      .post('/api/v1/deliveries/retry')
      .set(who.auth)
      .send(body as object);
  }

  function expectInvalid(res: request.Response, field: string): void {
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
  }

  describe('retrying a retrying delivery', () => {
    it('sends the same delivery now, its attempt count going on, and the receiver gets attempt 2', async () => {
      const tenant = await createTenant(t.http);
      const r = await receiver(BUSY);
      const hook = await subscribe(tenant, r.url());
      const eventId = await publish(tenant);
      const [retrying] = await waitForLog(tenant, '&status=retrying', 1);
      expect(retrying).toMatchObject({ attempt: 1, http_status: 503 });
      expect(Date.parse(retrying.next_attempt_at!) - Date.now()).toBeGreaterThan(30 * 60_000);
      r.reply = () => OK;

      const before = Date.now();
      const res = await request(t.http)
        .post(`/api/v1/webhooks/deliveries/${retrying.delivery_id}/retry`)
        .set(tenant.auth);
      expect(res.status).toBe(202);
      expect(res.body.data).toEqual({
        delivery_id: retrying.delivery_id,
        original_delivery_id: retrying.delivery_id,
        status: 'queued',
        attempt: 2,
        scheduled_for: expect.stringMatching(ISO),
      });
      expect(Date.parse(res.body.data.scheduled_for)).toBeLessThan(before + 5_000);

      const [second] = (await r.waitForRequests(2)).slice(1);
      expect(second.headers['x-delivery-id']).toBe(retrying.delivery_id);
      expect(second.headers['x-delivery-attempt']).toBe('2');
      expect(JSON.parse(second.body)).toMatchObject({ event_id: eventId, delivery_attempt: 2 });
      const [done] = await waitForLog(tenant, '&status=success', 1);
      expect(done).toMatchObject({ delivery_id: retrying.delivery_id, attempt: 2, http_status: 200 });
      expect(await log(tenant, `&webhook_id=${hook}`)).toHaveLength(1);
      await sleep(500);
      expect(r.requests).toHaveLength(2);
    });

    it('answers 409 CONFLICT while the delivery is sending', async () => {
      const tenant = await createTenant(t.http);
      const slow = await receiver({ status: 200, delayMs: 3_000 });
      await subscribe(tenant, slow.url());
      await publish(tenant);
      await slow.waitForRequests(1);
      const [sending] = await log(tenant, '&status=sending');
      const busy = await request(t.http)
        .post(`/api/v1/webhooks/deliveries/${sending.delivery_id}/retry`)
        .set(tenant.auth);
      expect({ status: busy.status, code: busy.body.error?.code }).toEqual({ status: 409, code: 'CONFLICT' });
      await waitForLog(tenant, '&status=success', 1);
    });
  });

  describe('recover', () => {
    it('takes cancelled deliveries, sends retrying ones now, and looks back 24 h when since is omitted', async () => {
      const tenant = await createTenant(t.http);
      const r = await receiver(BUSY);
      const hook = await subscribe(tenant, r.url());
      const recent = await publish(tenant, 'deal.won', { n: 'recent' });
      const old = await publish(tenant, 'deal.won', { n: 'old' });
      await waitForLog(tenant, '&status=retrying', 2);
      expect((await setActive(tenant, hook, false)).status).toBe(200);
      await waitForLog(tenant, '&status=cancelled', 2);
      expect((await setActive(tenant, hook, true)).status).toBe(200);
      const stillRetrying = await publish(tenant, 'deal.won', { n: 'retrying' });
      const [retrying] = await waitForLog(tenant, '&status=retrying', 1);
      // one cancelled delivery from two days ago: outside the default window
      const [[{ id: oldId }]] = await db.query<[{ id: string }[], number]>(
        `UPDATE deliveries SET created_at = now() - interval '2 days' WHERE event_id = $1 RETURNING id`,
        [old],
      );
      r.reply = () => OK;
      const seen = r.requests.length;

      const res = await request(t.http).post(`/api/v1/webhooks/${hook}/recover`).set(tenant.auth).send({});
      expect(res.status).toBe(202);
      expect(res.body.data).toEqual({ queued: 2 });

      const sent = (await r.waitForRequests(seen + 2)).slice(seen);
      const byEvent = new Map(sent.map((q) => [JSON.parse(q.body).event_id as string, q]));
      expect([...byEvent.keys()].sort()).toEqual([recent, stillRetrying].sort());
      expect(byEvent.get(stillRetrying)!.headers).toMatchObject({
        'x-delivery-id': retrying.delivery_id,
        'x-delivery-attempt': '2',
      });
      expect(byEvent.get(recent)!.headers['x-delivery-attempt']).toBe('1');
      const succeeded = await waitForLog(tenant, '&status=success', 2);
      const copy = succeeded.find((d) => d.event_id === recent)!;
      expect(copy.original_delivery_id).toEqual(expect.stringMatching(/^dlv_/));
      expect((await log(tenant, '&status=cancelled')).map((d) => d.event_id).sort()).toEqual([recent, old].sort());

      const again = await request(t.http).post(`/api/v1/webhooks/${hook}/recover`).set(tenant.auth).send({});
      expect(again.body.data).toEqual({ queued: 0 });
      const older = await request(t.http)
        .post(`/api/v1/webhooks/${hook}/recover`)
        .set(tenant.auth)
        .send({ since: new Date(Date.now() - 3 * 86_400_000).toISOString() });
      expect(older.body.data).toEqual({ queued: 1 });
      const [oldCopy] = await waitForLog(tenant, `&event_id=${old}&status=success`, 1);
      expect(oldCopy.original_delivery_id).toBe(oldId);
    });

    it('refuses a disabled webhook with 409 and a bad since with 400', async () => {
      const tenant = await createTenant(t.http);
      const hook = await subscribe(tenant, 'http://127.0.0.1:9/hook');
      const bad = await request(t.http)
        .post(`/api/v1/webhooks/${hook}/recover`)
        .set(tenant.auth)
        .send({ since: 'yesterday' });
      expectInvalid(bad, 'since');
      await setActive(tenant, hook, false);
      const off = await request(t.http).post(`/api/v1/webhooks/${hook}/recover`).set(tenant.auth).send({});
      expect({ status: off.status, code: off.body.error?.code }).toEqual({ status: 409, code: 'CONFLICT' });
    });
  });

  describe('POST /api/v1/deliveries/retry', () => {
    it('re-queues the dead deliveries a filter matches, once, and skips disabled webhooks', async () => {
      const tenant = await createTenant(t.http);
      const a = await receiver(DOWN);
      const b = await receiver(DOWN);
      const hookA = await subscribe(tenant, a.url(), ['deal.*', 'lead.created']);
      const hookB = await subscribe(tenant, b.url(), ['deal.*']);
      const won = await publish(tenant, 'deal.won', { n: 1 });
      const lost = await publish(tenant, 'deal.lost', { n: 2 });
      const lead = await publish(tenant, 'lead.created', { n: 3 });
      await waitForLog(tenant, '&status=dead', 5);
      expect((await setActive(tenant, hookB, false)).status).toBe(200);
      a.reply = () => OK;
      b.reply = () => OK;
      const seenA = a.requests.length;
      const seenB = b.requests.length;

      const res = await retryMatching(tenant, { filter: { event_type: 'deal.*', status: 'dead' } });
      expect(res.status).toBe(202);
      expect(res.body.data).toEqual({ queued: 2 });
      const sent = (await a.waitForRequests(seenA + 2)).slice(seenA);
      expect(sent.map((q) => JSON.parse(q.body).event_id).sort()).toEqual([won, lost].sort());
      const copies = await waitForLog(tenant, '&status=success', 2);
      expect(copies.every((d) => d.webhook_id === hookA && d.original_delivery_id !== null)).toBe(true);

      const again = await retryMatching(tenant, { filter: { event_type: 'deal.*', status: 'dead' } });
      expect(again.body.data).toEqual({ queued: 0 });
      const disabled = await retryMatching(tenant, { filter: { webhook_id: hookB } });
      expect(disabled.body.data).toEqual({ queued: 0 });

      const rest = await retryMatching(tenant, { filter: { status: 'failed', since: '2000-01-01T00:00:00Z' } });
      expect(rest.body.data).toEqual({ queued: 1 });
      const [leadCopy] = await waitForLog(tenant, `&event_id=${lead}&status=success`, 1);
      expect(leadCopy.webhook_id).toBe(hookA);
      await sleep(500);
      expect(a.requests).toHaveLength(seenA + 3);
      expect(b.requests).toHaveLength(seenB);
    });

    it('sends retrying deliveries now, and resends successful ones only when asked by status', async () => {
      const tenant = await createTenant(t.http);
      const r = await receiver(BUSY);
      await subscribe(tenant, r.url(), ['deal.won']);
      const ok = await receiver(OK);
      await subscribe(tenant, ok.url(), ['lead.created']);
      await publish(tenant, 'deal.won');
      const lead = await publish(tenant, 'lead.created');
      const [retrying] = await waitForLog(tenant, '&status=retrying', 1);
      await waitForLog(tenant, '&status=success', 1);
      r.reply = () => OK;

      const now = await retryMatching(tenant, { filter: { event_type: 'deal.won' } });
      expect(now.body.data).toEqual({ queued: 1 });
      const [second] = (await r.waitForRequests(2)).slice(1);
      expect(second.headers).toMatchObject({ 'x-delivery-id': retrying.delivery_id, 'x-delivery-attempt': '2' });

      const byDefault = await retryMatching(tenant, { filter: { event_id: lead } });
      expect(byDefault.body.data).toEqual({ queued: 0 });
      const resend = await retryMatching(tenant, { filter: { event_id: lead, status: 'success' } });
      expect(resend.body.data).toEqual({ queued: 1 });
      const [again] = (await ok.waitForRequests(2)).slice(1);
      expect(JSON.parse(again.body)).toMatchObject({ event_id: lead, delivery_attempt: 1 });
    });

    it.each([
      ['no filter', {}, 'filter'],
      ['an empty filter', { filter: {} }, 'filter'],
      ['an array', { filter: [] }, 'filter'],
      ['status queued', { filter: { status: 'queued' } }, 'filter.status'],
      ['status sending', { filter: { status: 'sending' } }, 'filter.status'],
      ['an unknown status', { filter: { status: 'bogus' } }, 'filter.status'],
      [
        'since after until',
        { filter: { since: '2025-01-10T00:00:00Z', until: '2025-01-09T00:00:00Z' } },
        'filter.until',
      ],
      ['q of 201 characters', { filter: { q: 'x'.repeat(201) } }, 'filter.q'],
      ['http_status 42', { filter: { http_status: 42 } }, 'filter.http_status'],
      ['a page size', { filter: { limit: 5 } }, 'filter.limit'],
      ['a field beside filter', { filter: { status: 'dead' }, all: true }, 'all'],
    ])('refuses %s (naming %s)', async (_label, body, field) => {
      const tenant = await createTenant(t.http);
      expectInvalid(await retryMatching(tenant, body), field);
    });

    it('names the allowed statuses when refusing one', async () => {
      const tenant = await createTenant(t.http);
      const res = await retryMatching(tenant, { filter: { status: 'failing' } });
      expect(res.body.error.details).toEqual([
        {
          field: 'filter.status',
          message: 'status must be one of queued, sending, success, retrying, dead, cancelled, failed',
        },
      ]);
    });

    it("never touches another tenant's deliveries", async () => {
      const owner = await createTenant(t.http);
      const stranger = await createTenant(t.http);
      const r = await receiver(DOWN);
      const hook = await subscribe(owner, r.url());
      const eventId = await publish(owner);
      await waitForLog(owner, '&status=dead', 1);
      r.reply = () => OK;
      for (const filter of [{ webhook_id: hook }, { event_id: eventId }, { status: 'dead' }]) {
        expect((await retryMatching(stranger, { filter })).body.data).toEqual({ queued: 0 });
      }
      await sleep(500);
      expect(r.requests).toHaveLength(2);
      expect(await log(owner)).toHaveLength(1);
    });
  });

  describe('PATCH /api/v1/webhooks/{id} {active}', () => {
    it('sets the state both ways: off cancels what waits, on delivers again; toggle still flips', async () => {
      const tenant = await createTenant(t.http);
      const r = await receiver(BUSY);
      const hook = await subscribe(tenant, r.url());
      await publish(tenant);
      await waitForLog(tenant, '&status=retrying', 1);

      const off = await setActive(tenant, hook, false);
      expect(off.status).toBe(200);
      expect(off.body.data).toMatchObject({ webhook_id: hook, active: false });
      expect((await setActive(tenant, hook, false)).body.data.active).toBe(false);
      const read = await request(t.http).get(`/api/v1/webhooks/${hook}`).set(tenant.auth).expect(200);
      expect(read.body.data.active).toBe(false);
      await waitForLog(tenant, '&status=cancelled', 1);
      const published = await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .send({ event_type: 'deal.won', data: {} });
      expect(published.body.data.matched_webhooks).toBe(0);

      r.reply = () => OK;
      const on = await setActive(tenant, hook, true);
      expect(on.body.data).toMatchObject({ webhook_id: hook, active: true, disabled_reason: null });
      expect((await setActive(tenant, hook, true)).body.data.active).toBe(true);
      const eventId = await publish(tenant);
      const [done] = await waitForLog(tenant, '&status=success', 1);
      expect(done.event_id).toBe(eventId);

      const toggled = await request(t.http).post(`/api/v1/webhooks/${hook}/toggle`).set(tenant.auth).expect(200);
      expect(toggled.body.data.active).toBe(false);
    });

    it.each([['false'], [0], [null]])('refuses active: %j with 400', async (value) => {
      const tenant = await createTenant(t.http);
      const hook = await subscribe(tenant, 'http://127.0.0.1:9/hook');
      expectInvalid(await setActive(tenant, hook, value), 'active');
      const read = await request(t.http).get(`/api/v1/webhooks/${hook}`).set(tenant.auth).expect(200);
      expect(read.body.data.active).toBe(true);
    });
  });
});
