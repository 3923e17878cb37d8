import type { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/env';
import { DeliveriesRepository } from '../src/deliveries/deliveries.repository';
import { RetentionService } from '../src/deliveries/retention.service';
import { EventsRepository } from '../src/events/events.repository';
import { WebhooksRepository } from '../src/webhooks/webhooks.repository';
import { createTenant, startApp, startWorker, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

const OUTGOING = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms,300ms,300ms',
  SWEEP_INTERVAL: '300ms',
};

async function subscribe(t: TestApp, tenant: TestTenant, body: Record<string, unknown>) {
  const res = await request(t.http)
    .post('/api/v1/webhooks')
    .set(tenant.auth)
    .send({ name: 'sub', events: ['*'], ...body });
  expect(res.status).toBe(201);
  return res.body.data as { webhook_id: string; secret: string };
}

async function publish(t: TestApp, tenant: TestTenant, eventType: string, data: Record<string, unknown>) {
  const res = await request(t.http)
    .post('/api/v1/events')
    .set(tenant.auth)
    .send({ event_type: eventType, data })
    .expect(202);
  return res.body.data as { event_id: string; matched_webhooks: number };
}

async function statuses(t: TestApp, tenant: TestTenant, webhookId: string): Promise<string[]> {
  const res = await request(t.http)
    .get(`/api/v1/webhooks/${webhookId}/deliveries?limit=100`)
    .set(tenant.auth)
    .expect(200);
  return (res.body.data as { status: string }[]).map((d) => d.status);
}

describe('Templates and presets (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(OUTGOING);
    receiver = await new Receiver().start();
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver.requests.length = 0;
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  it('renders payload_template from the event, keeping JSON types of whole placeholders', async () => {
    await subscribe(t, tenant, {
      url: receiver.url(),
      payload_template: {
        kind: '{{event_type}}',
        title: 'Deal {{data.title}} won',
        amount: '{{data.amount}}',
        lines: '{{data.lines}}',
      },
    });
    await publish(t, tenant, 'deal.won', { title: 'Big one', amount: 1500, lines: [1, 2] });
    const [req] = await receiver.waitForRequests(1);
    expect(JSON.parse(req.body)).toEqual({ kind: 'deal.won', title: 'Deal Big one won', amount: 1500, lines: [1, 2] });
    expect(req.headers['x-webhook-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('posts the telegram preset as {chat_id, text} with chat_id from metadata', async () => {
    await subscribe(t, tenant, {
      url: receiver.url('/bot123:abc/sendMessage'),
      preset: 'telegram',
      metadata: { chat_id: -100123 },
    });
    await publish(t, tenant, 'deal.won', { title: 'Big one' });
    const [req] = await receiver.waitForRequests(1);
    expect(req.path).toBe('/bot123:abc/sendMessage');
    const body = JSON.parse(req.body);
    expect(body.chat_id).toBe(-100123);
    expect(body.text).toContain('deal.won');
    expect(body.text).toContain('Big one');
  });

  it('posts the slack preset as {text} and the discord preset as {content}', async () => {
    await subscribe(t, tenant, { url: receiver.url('/slack'), preset: 'slack' });
    await subscribe(t, tenant, { url: receiver.url('/discord'), preset: 'discord' });
    await publish(t, tenant, 'lead.status_changed', { lead: 7 });
    const requests = await receiver.waitForRequests(2);
    const slack = JSON.parse(requests.find((r) => r.path === '/slack')!.body);
    const discord = JSON.parse(requests.find((r) => r.path === '/discord')!.body);
    expect(Object.keys(slack)).toEqual(['text']);
    expect(slack.text).toContain('lead.status_changed');
    expect(discord.content).toContain('lead.status_changed');
  });
});

describe('SSRF at connection time (e2e)', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    // The API lets the URL in; the worker, which refuses private addresses, must still refuse to connect.
    api = await startApp({ ...OUTGOING, APP_ROLE: 'api' });
    worker = await startWorker({ ...OUTGOING, ALLOW_PRIVATE_URLS: 'false', QUEUE_PREFIX: api.queuePrefix });
  });

  afterAll(async () => {
    await receiver.stop();
    await worker.close();
    await api.close();
  });

  it('refuses a hostname that resolves to loopback when sending, and records why', async () => {
    const tenant = await createTenant(api.http);
    const port = new URL(receiver.url()).port;
    const sub = await subscribe(api, tenant, { url: `http://localhost:${port}/hook` });
    await publish(api, tenant, 'deal.won', { id: 1 });
    const dead = await eventually(async () => {
      const res = await request(api.http)
        .get(`/api/v1/webhooks/${sub.webhook_id}/deliveries`)
        .set(tenant.auth)
        .expect(200);
      return res.body.data.find((d: { status: string }) => d.status === 'dead');
    });
    const detail = await request(api.http)
      .get(`/api/v1/webhooks/deliveries/${dead.delivery_id}`)
      .set(tenant.auth)
      .expect(200);
    expect(detail.body.data.attempts.length).toBeGreaterThan(0);
    for (const attempt of detail.body.data.attempts) {
      expect(attempt).toMatchObject({ success: false, http_status: null, error_kind: 'refused_address' });
      expect(attempt.error).toMatch(/127\.0\.0\.1|::1/);
    }
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('No loss when Redis loses its data (e2e)', () => {
  let api: TestApp;
  let redis: Redis;
  let receiver: Receiver;

  beforeAll(async () => {
    // an API process only: its jobs sit in Redis until a worker comes
    api = await startApp({ ...OUTGOING, APP_ROLE: 'api' });
    redis = new Redis(process.env.REDIS_URL!);
    receiver = await new Receiver().start();
  });

  afterAll(async () => {
    await receiver.stop();
    redis.disconnect();
    await api.close();
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

  it('the sweeper delivers every queued delivery after the queue keys are deleted', async () => {
    const tenant = await createTenant(api.http);
    // the first attempt of every tenth delivery fails, so some retries wait in PostgreSQL only
    const failedOnce = new Set<string>();
    receiver.reply = (req) => {
      const id = req.headers['x-delivery-id'] as string;
      if (id.endsWith('0') && !failedOnce.has(id)) {
        failedOnce.add(id);
        return { status: 500 };
      }
      return { status: 200 };
    };
    const sub = await subscribe(api, tenant, { url: receiver.url() });
    const count = 60;
    for (let i = 0; i < count; i += 1) await publish(api, tenant, 'deal.won', { i });
    expect(await wipeQueueKeys(api.queuePrefix)).toBeGreaterThan(0);
    expect((await statuses(api, tenant, sub.webhook_id)).filter((x) => x === 'queued')).toHaveLength(count);

    // a worker on the same (now empty) queue: only the sweeper can know about these deliveries
    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix });
    try {
      const all = await eventually(
        async () => {
          const s = await statuses(api, tenant, sub.webhook_id);
          return s.length === count && s.every((x) => x === 'success') ? s : undefined;
        },
        30_000,
        'every delivery to succeed',
      );
      expect(all).toHaveLength(count);
      const delivered = new Set(receiver.requests.map((r) => JSON.parse(r.body).event_id));
      expect(delivered.size).toBe(count);
    } finally {
      await worker.close();
    }
  });

  it('delivers when Redis kept the jobs but lost the list that queued them (a partial loss)', async () => {
    const tenant = await createTenant(api.http);
    receiver.reply = () => ({ status: 200 });
    const sub = await subscribe(api, tenant, { url: receiver.url() });
    const count = 5;
    for (let i = 0; i < count; i += 1) await publish(api, tenant, 'deal.won', { partial: i });
    // the job hashes stay, so Bull refuses to add a job under the same deterministic id again
    const hashes = (await redis.keys(`${api.queuePrefix}:deliveries:*:1`)).length;
    expect(hashes).toBeGreaterThanOrEqual(count);
    expect(await redis.del(`${api.queuePrefix}:deliveries:wait`)).toBe(1);

    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix });
    try {
      await eventually(
        async () => {
          const s = await statuses(api, tenant, sub.webhook_id);
          return s.length === count && s.every((x) => x === 'success') ? s : undefined;
        },
        20_000,
        'every delivery to succeed although its first job hash is orphaned',
      );
      const delivered = receiver.requests.filter((r) => r.headers['x-webhook-id'] === sub.webhook_id);
      expect(new Set(delivered.map((r) => r.headers['x-delivery-id'])).size).toBe(count);
    } finally {
      await worker.close();
    }
  });
});

describe('Delivery policies (e2e)', () => {
  let t: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp({
      ...OUTGOING,
      DELIVERY_RETRY_SCHEDULE: '200ms',
      DISABLE_AFTER_FAILURES: '2',
      DISABLE_AFTER: '1ms',
    });
  });

  beforeEach(async () => {
    receiver = await new Receiver().start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  afterAll(async () => {
    await t.close();
  });

  it('disables an endpoint after DISABLE_AFTER_FAILURES dead deliveries with no success for DISABLE_AFTER', async () => {
    const tenant = await createTenant(t.http);
    receiver.reply = () => ({ status: 503 });
    const sub = await subscribe(t, tenant, { url: receiver.url(), events: ['deal.won'] });
    await publish(t, tenant, 'deal.won', { n: 1 });
    await eventually(async () => ((await statuses(t, tenant, sub.webhook_id))[0] === 'dead' ? true : undefined));
    let res = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
    expect(res.body.data.active).toBe(true); // one dead delivery is not enough

    await publish(t, tenant, 'deal.won', { n: 2 });
    res = await eventually(async () => {
      const r = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
      return r.body.data.active === false ? r : undefined;
    });
    expect(res.body.data.disabled_reason).toMatch(/2 consecutive deliveries failed/);
    expect((await publish(t, tenant, 'deal.won', { n: 3 })).matched_webhooks).toBe(0);
  });

  it('keeps to rate_limit_per_second', async () => {
    const tenant = await createTenant(t.http);
    const sub = await subscribe(t, tenant, { url: receiver.url(), rate_limit_per_second: 2 });
    for (let i = 0; i < 6; i += 1) await publish(t, tenant, 'deal.won', { i });
    const requests = await receiver.waitForRequests(6);
    // The limit holds per second of the sender's clock; arrival times add network and event-loop delay,
    // so one request may arrive in the next second. 6 requests at 2/s take three sender seconds: the
    // first and last arrive more than a second apart, and no arrival second holds all of one burst.
    const arrivals = requests.map((r) => r.at).sort((a, b) => a - b);
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThan(1000);
    const perSecond = new Map<number, number>();
    for (const at of arrivals) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(3);
    await eventually(async () => {
      const s = await statuses(t, tenant, sub.webhook_id);
      return s.length === 6 && s.every((x) => x === 'success') ? s : undefined;
    });
  });

  it('delivers one entity_key in order on an ordered endpoint, even across a retry', async () => {
    const tenant = await createTenant(t.http);
    let failedFirst = false;
    receiver.reply = (req) => {
      if (JSON.parse(req.body).data.seq === 1 && !failedFirst) {
        failedFirst = true;
        return { status: 500 };
      }
      return { status: 200 };
    };
    await subscribe(t, tenant, { url: receiver.url(), ordered: true });
    for (const seq of [1, 2, 3]) {
      await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .send({ event_type: 'deal.won', data: { seq }, entity_key: 'crm:acme:deal:1' })
        .expect(202);
    }
    const requests = await receiver.waitForRequests(4);
    expect(requests.map((r) => JSON.parse(r.body).data.seq)).toEqual([1, 1, 2, 3]);
  });
});

describe('Crashed attempts and retention (e2e)', () => {
  let api: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    api = await startApp({ ...OUTGOING, APP_ROLE: 'api' });
  });

  afterAll(async () => {
    await receiver.stop();
    await api.close();
  });

  it('a delivery left `sending` by a worker that died is taken back when its lease runs out', async () => {
    const tenant = await createTenant(api.http);
    const sub = await subscribe(api, tenant, { url: receiver.url() });
    const { event_id } = await publish(api, tenant, 'deal.won', { crashed: true });
    const db = api.app.get(DataSource);
    // what a worker leaves behind when it is killed mid-attempt: claimed, lease expired, job gone
    await db.query(
      `UPDATE deliveries SET status = 'sending', next_attempt_at = now() - interval '5 seconds' WHERE event_id = $1`,
      [event_id],
    );
    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: `${api.queuePrefix}:fresh` });
    try {
      const [req] = await receiver.waitForRequests(1);
      expect(JSON.parse(req.body).event_id).toBe(event_id);
      await eventually(async () => ((await statuses(api, tenant, sub.webhook_id))[0] === 'success' ? true : undefined));
    } finally {
      await worker.close();
    }
  });

  it('retention deletes attempts and events older than RETENTION_DAYS, and nothing newer', async () => {
    const tenant = await createTenant(api.http);
    await subscribe(api, tenant, { url: receiver.url() });
    const old = await publish(api, tenant, 'deal.won', { age: 'old' });
    const fresh = await publish(api, tenant, 'deal.won', { age: 'fresh' });
    const db = api.app.get(DataSource);
    await db.query(`UPDATE events SET created_at = now() - interval '31 days' WHERE id = $1`, [old.event_id]);
    const retention = new RetentionService(
      db,
      loadConfig({ RETENTION_DAYS: '30' }),
      new DeliveriesRepository(db),
      new EventsRepository(db),
      new WebhooksRepository(db),
    );
    const removed = await retention.run();
    expect(removed.events).toBeGreaterThanOrEqual(1);
    await request(api.http).get(`/api/v1/events/${old.event_id}`).set(tenant.auth).expect(404);
    const kept = await request(api.http).get(`/api/v1/events/${fresh.event_id}`).set(tenant.auth).expect(200);
    expect(kept.body.data.deliveries).toHaveLength(1);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM deliveries WHERE event_id = $1`, [
      old.event_id,
    ]);
    expect(count).toBe(0);
  });
});
