import { createHmac } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

const OUTGOING = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms,300ms',
  SWEEP_INTERVAL: '500ms',
};

describe('Outgoing deliveries (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(OUTGOING);
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http); // a fresh tenant: no subscription of another test matches
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  afterAll(async () => {
    await t.close();
  });

  async function subscribe(body: Record<string, unknown> = {}, who: TestTenant = tenant) {
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(who.auth)
      .send({ name: 'sub', url: receiver.url(), events: ['deal.won'], ...body })
      .expect(201);
    return res.body.data as { webhook_id: string; secret: string };
  }

  async function publish(eventType: string, data: Record<string, unknown> = { id: 1 }, who: TestTenant = tenant) {
    const res = await request(t.http)
      .post('/api/v1/events')
      .set(who.auth)
      .send({ event_type: eventType, data })
      .expect(202);
    return res.body.data as { event_id: string; matched_webhooks: number };
  }

  async function deliveriesOf(webhookId: string, query = '') {
    const res = await request(t.http)
      .get(`/api/v1/webhooks/${webhookId}/deliveries${query}`)
      .set(tenant.auth)
      .expect(200);
    return res.body.data as {
      delivery_id: string;
      status: string;
      attempt: number;
      http_status: number | null;
      error: string | null;
    }[];
  }

  async function finalDelivery(webhookId: string, status: string) {
    return eventually(
      async () => (await deliveriesOf(webhookId)).find((d) => d.status === status),
      15_000,
      `a ${status} delivery`,
    );
  }

  it('delivers the contract body with every header and both signatures', async () => {
    const sub = await subscribe({ headers: { 'X-Tenant': 'acme' } });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const published = await publish('deal.won', { deal_id: 42, amount: '1500.00' });
    expect(published.matched_webhooks).toBe(1);

    const [req] = await receiver.waitForRequests(1);
    const body = JSON.parse(req.body);
    expect(body).toEqual({
      webhook_id: sub.webhook_id,
      event_id: published.event_id,
      event_type: 'deal.won',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      delivery_attempt: 1,
      data: { deal_id: 42, amount: '1500.00' },
      metadata: {},
    });
    expect(req.body).toBe(JSON.stringify(body)); // one line of JSON
    const h = req.headers;
    expect(h['content-type']).toBe('application/json');
    expect(h['user-agent']).toMatch(/^Hookhub\/\d+\.\d+\.\d+$/);
    expect(h['x-webhook-id']).toBe(sub.webhook_id);
    expect(h['x-webhook-event']).toBe('deal.won');
    expect(h['x-event-id']).toBe(published.event_id);
    expect(h['x-delivery-id']).toMatch(/^dlv_/);
    expect(h['x-delivery-attempt']).toBe('1');
    expect(h['x-request-id']).toEqual(expect.any(String));
    expect(h['x-tenant']).toBe('acme');

    const ts = h['x-webhook-timestamp'] as string;
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(30);
    const expected = createHmac('sha256', sub.secret).update(`${ts}.${req.body}`).digest('hex');
    expect(h['x-webhook-signature']).toBe(`sha256=${expected}`);

    expect(h['webhook-id']).toBe(published.event_id);
    expect(h['webhook-timestamp']).toBe(ts);
    const verified = new Webhook(sub.secret).verify(req.body, {
      'webhook-id': h['webhook-id'] as string,
      'webhook-timestamp': h['webhook-timestamp'] as string,
      'webhook-signature': h['webhook-signature'] as string,
    });
    expect(verified).toEqual(body);

    const delivered = await finalDelivery(sub.webhook_id, 'success');
    expect(delivered).toMatchObject({ attempt: 1, http_status: 200, error: null });
  });

  it('signs a custom secret so the official library verifies it', async () => {
    const secret = 'my-custom-secret-0123456789';
    const sub = await subscribe({ secret });
    expect(sub.secret).toBe(secret);
    await publish('deal.won');
    const [req] = await receiver.waitForRequests(1);
    const wh = new Webhook(Buffer.from(secret, 'utf8').toString('base64'));
    expect(() =>
      wh.verify(req.body, {
        'webhook-id': req.headers['webhook-id'] as string,
        'webhook-timestamp': req.headers['webhook-timestamp'] as string,
        'webhook-signature': req.headers['webhook-signature'] as string,
      }),
    ).not.toThrow();
    expect(() =>
      wh.verify(req.body + ' ', {
        'webhook-id': req.headers['webhook-id'] as string,
        'webhook-timestamp': req.headers['webhook-timestamp'] as string,
        'webhook-signature': req.headers['webhook-signature'] as string,
      }),
    ).toThrow();
  });

  it('retries 500, 500 then 200: success on attempt 3 with all three in the log', async () => {
    receiver.reply = (_req, i) => (i < 2 ? { status: 500, body: 'boom' } : { status: 200, body: 'fine' });
    const sub = await subscribe();
    await publish('deal.won');
    const done = await finalDelivery(sub.webhook_id, 'success');
    expect(done.attempt).toBe(3);
    expect(receiver.requests.map((r) => r.headers['x-delivery-attempt'])).toEqual(['1', '2', '3']);
    expect(receiver.requests.map((r) => JSON.parse(r.body).delivery_attempt)).toEqual([1, 2, 3]);

    const detail = await request(t.http)
      .get(`/api/v1/webhooks/deliveries/${done.delivery_id}`)
      .set(tenant.auth)
      .expect(200);
    expect(
      detail.body.data.attempts.map((a: { http_status: number; success: boolean }) => [a.http_status, a.success]),
    ).toEqual([
      [500, false],
      [500, false],
      [200, true],
    ]);
    expect(detail.body.data.attempts[0]).toMatchObject({ error: 'HTTP 500', response: { status: 500, body: 'boom' } });
    expect(detail.body.data.request.headers['X-Delivery-Attempt']).toBe('3');

    const stats = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
    expect(stats.body.data).toMatchObject({ deliveries_count: 3, failures_count: 2, success_rate: 33.33 });
    expect(stats.body.data.last_delivery).toMatchObject({ status: 'success', http_status: 200 });
  });

  it('ends dead after the last retry when every attempt fails', async () => {
    receiver.reply = () => ({ status: 500 });
    const sub = await subscribe();
    await publish('deal.won');
    const dead = await finalDelivery(sub.webhook_id, 'dead');
    expect(dead.attempt).toBe(3); // the first attempt and the two retries of the schedule
    expect(receiver.requests).toHaveLength(3);
  });

  it('honours a later Retry-After on 429', async () => {
    receiver.reply = (_req, i) => (i === 0 ? { status: 429, headers: { 'Retry-After': '2' } } : { status: 200 });
    const sub = await subscribe();
    await publish('deal.won');
    await finalDelivery(sub.webhook_id, 'success');
    const gap = receiver.requests[1].at - receiver.requests[0].at;
    expect(gap).toBeGreaterThanOrEqual(1900);
  });

  it('disables the subscription at once on 410 Gone and tells webhook.disabled subscribers', async () => {
    const watcher = await new Receiver().start();
    try {
      await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'watcher', url: watcher.url(), events: ['webhook.disabled'] })
        .expect(201);
      receiver.reply = () => ({ status: 410 });
      const sub = await subscribe();
      await publish('deal.won');
      const dead = await finalDelivery(sub.webhook_id, 'dead');
      expect(dead.attempt).toBe(1);
      const after = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
      expect(after.body.data).toMatchObject({ active: false, disabled_reason: expect.stringContaining('410') });
      const [notice] = await watcher.waitForRequests(1);
      expect(JSON.parse(notice.body)).toMatchObject({
        event_type: 'webhook.disabled',
        data: { webhook_id: sub.webhook_id, reason: expect.stringContaining('410') },
      });
    } finally {
      await watcher.stop();
    }
  });

  it('records a timeout as such', async () => {
    receiver.reply = () => ({ hang: true });
    const sub = await subscribe({ timeout_ms: 1000 });
    const published = await publish('deal.won');
    const event = await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/events/${published.event_id}`).set(tenant.auth).expect(200);
      const d = res.body.data.deliveries.find((x: { webhook_id: string }) => x.webhook_id === sub.webhook_id);
      return d && d.attempt >= 1 ? d : undefined;
    });
    const detail = await request(t.http)
      .get(`/api/v1/webhooks/deliveries/${event.delivery_id}`)
      .set(tenant.auth)
      .expect(200);
    expect(detail.body.data.attempts[0]).toMatchObject({
      success: false,
      http_status: null,
      error_kind: 'timeout',
      error: expect.stringMatching(/timed out/),
    });
  });
});
