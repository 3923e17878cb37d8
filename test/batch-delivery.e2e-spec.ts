import Redis from 'ioredis';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { verifyHookhubSignature } from '../src/common/signing';
import { createTenant, startApp, startWorker, TestApp, TestTenant } from './helpers/app';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

/**
 * Batch delivery (issue #11 item 3): a subscription with `batch: {max_events, max_wait_ms}` receives
 * one signed POST whose body is the JSON array of the usual envelopes, with X-Webhook-Batch-Size.
 * Every test works in a tenant of its own.
 */

const OUTGOING = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms,300ms',
  SWEEP_INTERVAL: '300ms',
};

interface Envelope {
  webhook_id: string;
  event_id: string;
  event_type: string;
  timestamp: string;
  delivery_attempt: number;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

interface LogItem {
  delivery_id: string;
  event_id: string;
  status: string;
  attempt: number;
  http_status: number | null;
  error: string | null;
  batch_id: string | null;
  batch_size: number | null;
  original_delivery_id: string | null;
}

interface Attempt {
  attempt: number;
  http_status: number | null;
  success: boolean;
  request: { headers: Record<string, string>; body: string };
}

const envelopes = (req: ReceivedRequest): Envelope[] => JSON.parse(req.body) as Envelope[];

async function subscribe(t: TestApp, tenant: TestTenant, url: string, body: Record<string, unknown>) {
  const res = await request(t.http)
    .post('/api/v1/webhooks')
    .set(tenant.auth)
    .send({ name: 'batched', url, events: ['*'], ...body });
  expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
  return res.body.data as { webhook_id: string; secret: string; batch: unknown; signature_format: string };
}

async function publish(t: TestApp, tenant: TestTenant, data: Record<string, unknown>, entityKey?: string) {
  const res = await request(t.http)
    .post('/api/v1/events')
    .set(tenant.auth)
    .send({ event_type: 'deal.won', data, ...(entityKey ? { entity_key: entityKey } : {}) })
    .expect(202);
  return res.body.data.event_id as string;
}

async function log(t: TestApp, tenant: TestTenant, webhookId: string): Promise<LogItem[]> {
  const res = await request(t.http)
    .get(`/api/v1/webhooks/${webhookId}/deliveries?limit=100`)
    .set(tenant.auth)
    .expect(200);
  return res.body.data as LogItem[];
}

/** The log once every delivery is in `status` (and there are `count` of them). */
async function logWhenAll(t: TestApp, tenant: TestTenant, webhookId: string, count: number, status: string) {
  return eventually(
    async () => {
      const items = await log(t, tenant, webhookId);
      return items.length === count && items.every((d) => d.status === status) ? items : undefined;
    },
    20_000,
    `${count} deliveries ${status}`,
  );
}

async function attemptsOf(t: TestApp, tenant: TestTenant, deliveryId: string): Promise<Attempt[]> {
  const res = await request(t.http).get(`/api/v1/webhooks/deliveries/${deliveryId}`).set(tenant.auth).expect(200);
  return res.body.data.attempts as Attempt[];
}

/** The two signatures a subscriber checks, over the whole array body. */
function expectSigned(req: ReceivedRequest, secret: string): void {
  const h = req.headers as Record<string, string>;
  expect(verifyHookhubSignature(secret, h['x-webhook-timestamp'], req.body, h['x-webhook-signature'])).toBe(true);
  const verified = new Webhook(secret).verify(req.body, {
    'webhook-id': h['webhook-id'],
    'webhook-timestamp': h['webhook-timestamp'],
    'webhook-signature': h['webhook-signature'],
  });
  expect(verified).toEqual(JSON.parse(req.body));
}

describe('Batch delivery (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(OUTGOING);
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  afterAll(async () => {
    await t.close();
  });

  it('sends 10 events as 2 signed batches of max_events 5, each envelope as it would be sent alone', async () => {
    const sub = await subscribe(t, tenant, receiver.url(), { batch: { max_events: 5, max_wait_ms: 60_000 } });
    expect(sub.batch).toEqual({ max_events: 5, max_wait_ms: 60_000 });
    const published: string[] = [];
    for (let i = 0; i < 10; i += 1) published.push(await publish(t, tenant, { i }));

    const requests = await receiver.waitForRequests(2);
    for (const req of requests) {
      expect(req.headers['x-webhook-batch-size']).toBe('5');
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers['x-webhook-id']).toBe(sub.webhook_id);
      expect(req.headers['x-webhook-event']).toBe('deal.won');
      expect(req.headers['x-delivery-id']).toMatch(/^bat_[0-9a-z]{26}$/);
      expect(req.headers['x-event-id']).toBe(req.headers['x-delivery-id']);
      expect(req.headers['webhook-id']).toBe(req.headers['x-delivery-id']);
      expect(req.headers['x-delivery-attempt']).toBe('1');
      expectSigned(req, sub.secret);
      const items = envelopes(req);
      expect(items).toHaveLength(5);
      expect(req.body).toBe(JSON.stringify(items));
      for (const item of items) {
        expect(item).toEqual({
          webhook_id: sub.webhook_id,
          event_id: expect.stringMatching(/^evt_/),
          event_type: 'deal.won',
          timestamp: expect.stringMatching(/Z$/),
          delivery_attempt: 1,
          data: { i: expect.any(Number) },
          metadata: {},
        });
      }
      // within a batch, the order the events were published in
      const order = items.map((item) => published.indexOf(item.event_id));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
    const sent = requests.flatMap((req) => envelopes(req).map((item) => item.event_id));
    expect([...sent].sort()).toEqual([...published].sort());

    // the log: every delivery a success of its batch, 5 per batch id
    const items = await logWhenAll(t, tenant, sub.webhook_id, 10, 'success');
    const batchIds = new Set(items.map((d) => d.batch_id));
    expect([...batchIds].sort()).toEqual(requests.map((r) => r.headers['x-delivery-id']).sort());
    for (const d of items) expect(d).toMatchObject({ attempt: 1, http_status: 200, batch_size: 5 });

    // each member's detail shows the batch's attempt: its headers, its own part of the body
    const [first] = requests;
    const members = items.filter((d) => d.batch_id === first.headers['x-delivery-id']);
    const parts: { event_id: string; body: string }[] = [];
    for (const member of members) {
      const [attempt] = await attemptsOf(t, tenant, member.delivery_id);
      expect(attempt.request.headers['X-Webhook-Batch-Size']).toBe('5');
      expect(attempt.request.headers['X-Delivery-ID']).toBe(first.headers['x-delivery-id']);
      expect(JSON.parse(attempt.request.body).event_id).toBe(member.event_id);
      parts.push({ event_id: member.event_id, body: attempt.request.body });
    }
    const inBatchOrder = envelopes(first).map((item) => parts.find((p) => p.event_id === item.event_id)!.body);
    expect(`[${inBatchOrder.join(',')}]`).toBe(first.body);

    // a batch's attempt counts once (successes are added up within a moment)
    const stats = await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
      return res.body.data.deliveries_count === 2 ? res.body.data : undefined;
    });
    expect(stats).toMatchObject({ deliveries_count: 2, failures_count: 0, success_rate: 100 });
  });

  it('sends a lone event once it has waited max_wait_ms, as a batch of one', async () => {
    const sub = await subscribe(t, tenant, receiver.url(), { batch: { max_events: 100, max_wait_ms: 1000 } });
    const publishedAt = Date.now();
    const eventId = await publish(t, tenant, { alone: true });
    const [req] = await receiver.waitForRequests(1);
    expect(req.at - publishedAt).toBeGreaterThanOrEqual(900);
    expect(req.headers['x-webhook-batch-size']).toBe('1');
    expect(envelopes(req).map((item) => item.event_id)).toEqual([eventId]);
    expectSigned(req, sub.secret);
    const [item] = await logWhenAll(t, tenant, sub.webhook_id, 1, 'success');
    expect(item).toMatchObject({ batch_size: 1, batch_id: req.headers['x-delivery-id'] });
  });

  it('retries a failing batch as one and ends it dead; every member shows it; retry and recover work per event', async () => {
    let healthy = false;
    receiver.reply = () => (healthy ? { status: 200 } : { status: 500, body: 'boom' });
    const sub = await subscribe(t, tenant, receiver.url(), {
      batch: { max_events: 3, max_wait_ms: 60_000 },
      signature_format: 'body',
    });
    const published = [await publish(t, tenant, { n: 1 }), await publish(t, tenant, { n: 2 })];
    published.push(await publish(t, tenant, { n: 3 }));

    const dead = await logWhenAll(t, tenant, sub.webhook_id, 3, 'dead');
    expect(receiver.requests).toHaveLength(3); // the first attempt and the 2 retries of the schedule
    const batchId = receiver.requests[0].headers['x-delivery-id'];
    for (const [i, req] of receiver.requests.entries()) {
      expect(req.headers['x-delivery-id']).toBe(batchId);
      expect(req.headers['x-delivery-attempt']).toBe(String(i + 1));
      expect(envelopes(req).map((item) => [item.event_id, item.delivery_attempt])).toEqual(
        published.map((id) => [id, i + 1]),
      );
      const h = req.headers as Record<string, string>;
      expect(verifyHookhubSignature(sub.secret, '', req.body, h['x-webhook-signature'], 'body')).toBe(true);
    }
    for (const member of dead) {
      expect(member).toMatchObject({ batch_id: batchId, batch_size: 3, attempt: 3, http_status: 500 });
      expect(member.error).toBe('HTTP 500');
      const attempts = await attemptsOf(t, tenant, member.delivery_id);
      expect(attempts.map((a) => [a.attempt, a.http_status, a.success])).toEqual([
        [1, 500, false],
        [2, 500, false],
        [3, 500, false],
      ]);
    }
    const stats = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
    expect(stats.body.data).toMatchObject({ deliveries_count: 3, failures_count: 3 });

    // a manual retry of one member is a new delivery of that event, batched anew (leaving alone after 200 ms)
    healthy = true;
    await request(t.http)
      .patch(`/api/v1/webhooks/${sub.webhook_id}`)
      .set(tenant.auth)
      .send({ batch: { max_events: 3, max_wait_ms: 200 } })
      .expect(200);
    const retried = await request(t.http)
      .post(`/api/v1/webhooks/deliveries/${dead[0].delivery_id}/retry`)
      .set(tenant.auth)
      .expect(202);
    const [again] = (await receiver.waitForRequests(4)).slice(3);
    expect(envelopes(again).map((item) => [item.event_id, item.delivery_attempt])).toEqual([[dead[0].event_id, 1]]);
    expect(again.headers['x-delivery-id']).not.toBe(batchId);

    // recover takes the two others, which leave together
    const recovered = await request(t.http)
      .post(`/api/v1/webhooks/${sub.webhook_id}/recover`)
      .set(tenant.auth)
      .send({ since: new Date(Date.now() - 3_600_000).toISOString() })
      .expect(202);
    expect(recovered.body.data).toEqual({ queued: 2 });
    const [last] = (await receiver.waitForRequests(5)).slice(4);
    expect(envelopes(last).map((item) => item.event_id)).toEqual(published.filter((id) => id !== dead[0].event_id));
    const items = await log(t, tenant, sub.webhook_id);
    const copy = items.find((d) => d.delivery_id === retried.body.data.delivery_id)!;
    expect(copy).toMatchObject({ status: 'success', original_delivery_id: dead[0].delivery_id, batch_size: 1 });
  });

  it('keeps entity order within and across batches on an ordered subscription', async () => {
    // the first batch fails once, slowly, so later events of its entities arrive while it is on its way
    receiver.reply = (_req, i) => (i === 0 ? { status: 500, delayMs: 500 } : { status: 200 });
    const sub = await subscribe(t, tenant, receiver.url(), {
      ordered: true,
      batch: { max_events: 3, max_wait_ms: 60_000 },
    });
    const order: Record<string, string[]> = { a: [], b: [], c: [] };
    const send = async (entity: 'a' | 'b' | 'c') => order[entity].push(await publish(t, tenant, { entity }, entity));
    await send('a');
    await send('a');
    await send('b');
    await receiver.waitForRequests(1); // [a1, a2, b1], failing
    // later batches leave after 300 ms, full or not
    await request(t.http)
      .patch(`/api/v1/webhooks/${sub.webhook_id}`)
      .set(tenant.auth)
      .send({ batch: { max_events: 3, max_wait_ms: 300 } })
      .expect(200);
    await send('a');
    await send('b');
    await send('c');
    await send('a');
    await logWhenAll(t, tenant, sub.webhook_id, 7, 'success');

    const first = envelopes(receiver.requests[0]).map((item) => item.event_id);
    expect(first).toEqual([order.a[0], order.a[1], order.b[0]]);
    // where each event was delivered: the index of the successful request carrying it, and its place in it
    const deliveredAt = new Map<string, [number, number]>();
    receiver.requests.forEach((req, r) => {
      if (r === 0) return;
      envelopes(req).forEach((item, k) => {
        if (!deliveredAt.has(item.event_id)) deliveredAt.set(item.event_id, [r, k]);
      });
    });
    for (const ids of Object.values(order)) {
      const places = ids.map((id) => deliveredAt.get(id)!);
      expect(places.every(Boolean)).toBe(true);
      const sorted = [...places].sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      expect(places).toEqual(sorted);
    }
    // a3 never travels with a1 after a1 failed: it waited for a1's batch to succeed
    const retryOfFirst = deliveredAt.get(order.a[0])![0];
    expect(deliveredAt.get(order.a[2])![0]).toBeGreaterThan(retryOfFirst);
    expect(deliveredAt.get(order.b[1])![0]).toBeGreaterThan(retryOfFirst);
    // across batches: a later request never carries an event sent before its predecessor succeeded
    for (const req of receiver.requests) {
      const ids = envelopes(req).map((item) => item.event_id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeLessThanOrEqual(3);
    }
  });

  it('POST /webhooks/{id}/test sends a batch of one at once', async () => {
    const sub = await subscribe(t, tenant, receiver.url(), { batch: { max_events: 50, max_wait_ms: 60_000 } });
    const res = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth).expect(200);
    expect(res.body.data).toMatchObject({ success: true, http_status: 200 });
    const [req] = receiver.requests;
    expect(req.headers['x-webhook-batch-size']).toBe('1');
    expect(envelopes(req)[0]).toMatchObject({ event_id: res.body.data.event_id, event_type: 'webhook.test' });
    expectSigned(req, sub.secret);
  });

  describe('settings', () => {
    const create = (batch: unknown, extra: Record<string, unknown> = {}) =>
      request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'b', url: receiver.url(), events: ['*'], batch, ...extra });
    const fieldsOf = (res: request.Response) => (res.body.error.details as { field: string }[]).map((d) => d.field);

    it.each([
      [{ max_events: 0, max_wait_ms: 1000 }, 'batch.max_events'],
      [{ max_events: 1001, max_wait_ms: 1000 }, 'batch.max_events'],
      [{ max_events: 10, max_wait_ms: 99 }, 'batch.max_wait_ms'],
      [{ max_events: 10, max_wait_ms: 60001 }, 'batch.max_wait_ms'],
      [{ max_events: 1.5, max_wait_ms: 1000 }, 'batch.max_events'],
      [{ max_events: 10 }, 'batch.max_wait_ms'],
      [{ max_events: 10, max_wait_ms: 1000, size: 3 }, 'batch.size'],
      [[{ max_events: 10, max_wait_ms: 1000 }], 'batch'],
      [[], 'batch'],
      ['10', 'batch'],
    ])('refuses batch %j with 400 naming %s', async (batch, field) => {
      const res = await create(batch);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
    });

    it('accepts the bounds, and null or no batch as one event per request', async () => {
      expect((await create({ max_events: 1, max_wait_ms: 100 })).body.data.batch).toEqual({
        max_events: 1,
        max_wait_ms: 100,
      });
      expect((await create({ max_events: 1000, max_wait_ms: 60000 })).status).toBe(201);
      expect((await create(null)).body.data.batch).toBeNull();
      const plain = await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'b', url: receiver.url(), events: ['*'] })
        .expect(201);
      expect(plain.body.data.batch).toBeNull();
    });

    it('refuses batch with a payload_template or a preset, on create and on PATCH', async () => {
      const batch = { max_events: 10, max_wait_ms: 1000 };
      const templated = await create(batch, { payload_template: { kind: '{{event_type}}' } });
      expect(templated.status).toBe(400);
      expect(fieldsOf(templated)).toEqual(['batch']);
      expect((await create(batch, { preset: 'slack' })).status).toBe(400);

      const withPreset = await create(null, { preset: 'discord' });
      expect(withPreset.status).toBe(201);
      const patched = await request(t.http)
        .patch(`/api/v1/webhooks/${withPreset.body.data.webhook_id}`)
        .set(tenant.auth)
        .send({ batch });
      expect(patched.status).toBe(400);
      expect(fieldsOf(patched)).toEqual(['batch']);
      // turning the preset off in the same PATCH is fine
      const both = await request(t.http)
        .patch(`/api/v1/webhooks/${withPreset.body.data.webhook_id}`)
        .set(tenant.auth)
        .send({ batch, preset: null })
        .expect(200);
      expect(both.body.data).toMatchObject({ batch, preset: null });
    });

    it('PATCH sets, shows and turns off batching; GET shows it', async () => {
      const created = await create(null);
      const id = created.body.data.webhook_id as string;
      const on = await request(t.http)
        .patch(`/api/v1/webhooks/${id}`)
        .set(tenant.auth)
        .send({ batch: { max_events: 20, max_wait_ms: 2000 } })
        .expect(200);
      expect(on.body.data.batch).toEqual({ max_events: 20, max_wait_ms: 2000 });
      const read = await request(t.http).get(`/api/v1/webhooks/${id}`).set(tenant.auth).expect(200);
      expect(read.body.data.batch).toEqual({ max_events: 20, max_wait_ms: 2000 });
      const unchanged = await request(t.http).patch(`/api/v1/webhooks/${id}`).set(tenant.auth).send({ name: 'x' });
      expect(unchanged.body.data.batch).toEqual({ max_events: 20, max_wait_ms: 2000 });
      const off = await request(t.http).patch(`/api/v1/webhooks/${id}`).set(tenant.auth).send({ batch: null });
      expect(off.body.data.batch).toBeNull();
      const invalid = await request(t.http)
        .patch(`/api/v1/webhooks/${id}`)
        .set(tenant.auth)
        .send({ batch: { max_events: 1001, max_wait_ms: 2000 } });
      expect(invalid.status).toBe(400);
    });
  });
});

describe('Batch delivery across workers: Redis losing its jobs, a worker dying, two workers at once (e2e)', () => {
  let api: TestApp;
  let receiver: Receiver;
  let redis: Redis;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    api = await startApp({ ...OUTGOING, APP_ROLE: 'api' });
    redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  });

  afterAll(async () => {
    redis.disconnect();
    await receiver.stop();
    await api.close();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
  });

  async function wipeQueueKeys(prefix: string): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    return deleted;
  }

  it('the sweeper rebuilds the batches from PostgreSQL after the queue keys are deleted', async () => {
    const tenant = await createTenant(api.http);
    const sub = await subscribe(api, tenant, receiver.url(), { batch: { max_events: 4, max_wait_ms: 500 } });
    const published: string[] = [];
    for (let i = 0; i < 10; i += 1) published.push(await publish(api, tenant, { i }));
    expect(await wipeQueueKeys(api.queuePrefix)).toBeGreaterThan(0);

    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix });
    try {
      const items = await logWhenAll(api, tenant, sub.webhook_id, 10, 'success');
      const sent = receiver.requests.flatMap((req) => envelopes(req).map((item) => item.event_id));
      expect([...sent].sort()).toEqual([...published].sort()); // each event once
      for (const req of receiver.requests) {
        expect(Number(req.headers['x-webhook-batch-size'])).toBe(envelopes(req).length);
        expect(envelopes(req).length).toBeLessThanOrEqual(4);
        expectSigned(req, sub.secret);
      }
      expect(new Set(items.map((d) => d.batch_id)).size).toBe(receiver.requests.length);
    } finally {
      await worker.close();
    }
  });

  it('two workers forming the batches of one subscription at once send each event once', async () => {
    const tenant = await createTenant(api.http);
    const sub = await subscribe(api, tenant, receiver.url(), { batch: { max_events: 7, max_wait_ms: 300 } });
    const workers = [
      await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix }),
      await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix }),
    ];
    try {
      const published: string[] = [];
      for (let i = 0; i < 100; i += 10) {
        const ids = await Promise.all(Array.from({ length: 10 }, (_, k) => publish(api, tenant, { n: i + k })));
        published.push(...ids);
      }
      const items = await logWhenAll(api, tenant, sub.webhook_id, 100, 'success');
      const sent = receiver.requests.flatMap((req) => envelopes(req).map((item) => item.event_id));
      expect([...sent].sort()).toEqual([...published].sort()); // each event exactly once
      for (const req of receiver.requests) {
        expect(envelopes(req).length).toBeLessThanOrEqual(7);
        expect(req.headers['x-webhook-batch-size']).toBe(String(envelopes(req).length));
      }
      expect(new Set(items.map((d) => d.batch_id)).size).toBe(receiver.requests.length);
    } finally {
      for (const worker of workers) await worker.close();
    }
  });

  it('a batch left `sending` by a worker that died is taken back whole when its lease runs out', async () => {
    const tenant = await createTenant(api.http);
    const sub = await subscribe(api, tenant, receiver.url(), { batch: { max_events: 3, max_wait_ms: 60_000 } });
    const published = [await publish(api, tenant, { n: 1 }), await publish(api, tenant, { n: 2 })];
    published.push(await publish(api, tenant, { n: 3 }));
    const db = api.app.get(DataSource);
    // what a worker leaves behind when it is killed mid-attempt of a batch: claimed, lease expired, job gone
    await db.query(
      `UPDATE deliveries SET status = 'sending', batch_id = 'bat_01jdcrashedcrashedcrashed00', batch_size = 3,
         next_attempt_at = now() - interval '5 seconds'
       WHERE subscription_id = $1`,
      [sub.webhook_id],
    );
    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: `${api.queuePrefix}:fresh` });
    try {
      const items = await logWhenAll(api, tenant, sub.webhook_id, 3, 'success');
      expect(receiver.requests).toHaveLength(1);
      const [req] = receiver.requests;
      expect(req.headers['x-delivery-id']).toBe('bat_01jdcrashedcrashedcrashed00');
      expect(envelopes(req).map((item) => item.event_id)).toEqual(published);
      expect(items.every((d) => d.attempt === 1 && d.batch_id === 'bat_01jdcrashedcrashedcrashed00')).toBe(true);
      const [{ releases }] = await db.query(
        `SELECT max(release_count)::int AS releases FROM deliveries WHERE subscription_id = $1`,
        [sub.webhook_id],
      );
      expect(releases).toBe(0); // the recorded attempt reset the take-back count
    } finally {
      await worker.close();
    }
  });
});

describe('Batch delivery under MAX_DELIVERY_BODY_BYTES (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp({ ...OUTGOING, MAX_DELIVERY_BODY_BYTES: '1kb' });
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  afterAll(async () => {
    await t.close();
  });

  it('keeps each batch within the cap: the events that do not fit wait for the next batch', async () => {
    const sub = await subscribe(t, tenant, receiver.url(), { batch: { max_events: 6, max_wait_ms: 500 } });
    const published: string[] = [];
    for (let i = 0; i < 6; i += 1) published.push(await publish(t, tenant, { i, pad: 'x'.repeat(200) }));

    const items = await logWhenAll(t, tenant, sub.webhook_id, 6, 'success');
    const sent = receiver.requests.flatMap((req) => envelopes(req).map((item) => item.event_id));
    expect([...sent].sort()).toEqual([...published].sort());
    expect(receiver.requests.length).toBeGreaterThanOrEqual(3);
    for (const req of receiver.requests) {
      expect(Buffer.byteLength(req.body)).toBeLessThanOrEqual(1024);
      expect(req.headers['x-webhook-batch-size']).toBe(String(envelopes(req).length));
      expectSigned(req, sub.secret);
    }
    for (const d of items) {
      const req = receiver.requests.find((r) => r.headers['x-delivery-id'] === d.batch_id)!;
      expect(d.batch_size).toBe(envelopes(req).length);
    }
  });

  it('ends an event too large even alone dead without sending anything, and sends the others', async () => {
    const sub = await subscribe(t, tenant, receiver.url(), { batch: { max_events: 2, max_wait_ms: 300 } });
    const big = await publish(t, tenant, { pad: 'x'.repeat(2000) });
    const small = await publish(t, tenant, { small: true });
    const items = await eventually(async () => {
      const all = await log(t, tenant, sub.webhook_id);
      return all.length === 2 && all.every((d) => d.status === 'success' || d.status === 'dead') ? all : undefined;
    });
    const dead = items.find((d) => d.event_id === big)!;
    expect(dead).toMatchObject({ status: 'dead', attempt: 1, http_status: null, batch_size: 1 });
    expect(dead.error).toMatch(/over the 1 KiB cap \(MAX_DELIVERY_BODY_BYTES\)$/);
    expect(items.find((d) => d.event_id === small)).toMatchObject({ status: 'success', batch_size: 1 });
    expect(receiver.requests.map((req) => envelopes(req).map((item) => item.event_id))).toEqual([[small]]);
  });
});
