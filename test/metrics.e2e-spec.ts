import type { INestApplicationContext } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { MetricsServer } from '../src/observability/metrics-server';
import { createTenant, startApp, startWorker, TestApp, TestTenant } from './helpers/app';
import { settledInbound } from './helpers/inbound';
import { eventually, Receiver } from './helpers/receiver';

const SECRET = 'metrics-source-secret-123';
const BOT = '123456:TEST-token';
const MAX_BODY_BYTES = 64 * 1024;

function signed(body: string, secret = SECRET) {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'Content-Type': 'application/json',
    'X-Webhook-Timestamp': String(timestamp),
    'X-Webhook-Signature': `sha256=${signature}`,
  };
}

/** One scrape: every sample by `name{labels}` as written, and the declared type of every series. */
class Scrape {
  readonly samples = new Map<string, number>();
  readonly types = new Map<string, string>();

  constructor(readonly text: string) {
    for (const line of text.split('\n')) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) this.types.set(type[1], type[2]);
      else if (line && !line.startsWith('#')) {
        const at = line.lastIndexOf(' ');
        this.samples.set(line.slice(0, at), Number(line.slice(at + 1)));
      }
    }
  }

  /** The sample of `name` with exactly these labels (in the order prom-client writes them), 0 when absent. */
  value(name: string, labels: Record<string, string> = {}): number {
    const written = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    return this.samples.get(written.length ? `${name}{${written.join(',')}}` : name) ?? 0;
  }

  /** Whether a series (or a histogram's `_bucket`, `_sum`, `_count`) is declared. */
  declares(name: string): boolean {
    if (this.types.has(name)) return true;
    const base = /^(.*)_(bucket|sum|count)$/.exec(name)?.[1];
    return base !== undefined && ['histogram', 'summary'].includes(this.types.get(base) ?? '');
  }
}

/** Every `hookhub_…` series named by a query of the dashboard (panels and template variables). */
function dashboardSeries(): string[] {
  const dashboard = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'grafana-dashboard.json'), 'utf8')) as {
    panels: { targets?: { expr: string }[] }[];
    templating: { list: { query?: unknown }[] };
  };
  const queries = [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
    ...dashboard.templating.list.map((v) => JSON.stringify(v.query ?? '')),
  ];
  return [...new Set(queries.flatMap((q) => q.match(/\bhookhub_[a-z0-9_]+/g) ?? []))].sort();
}

describe('Metrics (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;
  let telegram: Receiver;

  const scrape = async (): Promise<Scrape> => {
    const res = await request(t.http).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return new Scrape(res.text);
  };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    telegram = await new Receiver().start();
    receiver.reply = (req) => ({ status: req.path === '/broken' ? 500 : 200, body: 'ok' });
    telegram.reply = () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true,"result":{"message_id":1}}',
    });
    t = await startApp({
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: 'true',
      SWEEP_INTERVAL: '300ms',
      // a failed attempt stays scheduled for the whole spec: the backlog shows it
      DELIVERY_RETRY_SCHEDULE: '1h',
      TELEGRAM_API_URL: telegram.url(''),
      MAX_BODY_BYTES: String(MAX_BODY_BYTES),
    });
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await t.close();
    await receiver.stop();
    await telegram.stop();
  });

  async function createSource(): Promise<string> {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'shop', provider: 'generic', verification: { scheme: 'hmac-sha256', secret: SECRET } })
      .expect(201);
    return res.body.data.source_id as string;
  }

  async function subscribe(path: string, events: string[]): Promise<string> {
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: path, url: receiver.url(path), events })
      .expect(201);
    return res.body.data.webhook_id as string;
  }

  async function deliveryOf(webhookId: string, status: string) {
    return eventually(
      async () => {
        const res = await request(t.http).get(`/api/v1/webhooks/${webhookId}/deliveries`).set(tenant.auth).expect(200);
        return (res.body.data as { status: string }[]).find((d) => d.status === status);
      },
      15_000,
      `a ${status} delivery`,
    );
  }

  it('counts ingest requests by provider and outcome', async () => {
    const sourceId = await createSource();
    const before = await scrape();
    const body = JSON.stringify({ event_type: 'order.noted', event_id: 'ord-1-noted', order: { id: 1 } });
    const ingest = (headers: Record<string, string>, id = sourceId) =>
      request(t.http).post(`/api/v1/ingest/${id}`).set(headers).send(body);

    expect((await ingest(signed(body))).status).toBe(202);
    expect((await ingest(signed(body))).status).toBe(200);
    expect((await ingest(signed(body, 'not-the-secret-at-all'))).status).toBe(401);
    expect((await ingest(signed(body), 'src_00000000000000000000000000')).status).toBe(404);
    expect((await ingest({ ...signed(body), 'Content-Type': 'text/plain' })).status).toBe(415);
    // ingest bodies are verified as sent, so a compressed one is refused before the route runs
    expect((await ingest({ ...signed(body), 'Content-Encoding': 'gzip' })).status).toBe(415);
    const tooLarge = 'x'.repeat(MAX_BODY_BYTES + 1);
    expect((await request(t.http).post(`/api/v1/ingest/${sourceId}`).set(signed(tooLarge)).send(tooLarge)).status).toBe(
      413,
    );

    const after = await scrape();
    const delta = (labels: Record<string, string>) =>
      after.value('hookhub_ingest_requests_total', labels) - before.value('hookhub_ingest_requests_total', labels);
    expect(delta({ provider: 'generic', outcome: 'accepted' })).toBe(1);
    expect(delta({ provider: 'generic', outcome: 'duplicate' })).toBe(1);
    expect(delta({ provider: 'generic', outcome: 'unauthorized' })).toBe(1);
    expect(delta({ provider: 'generic', outcome: 'invalid' })).toBe(1);
    expect(delta({ provider: 'unknown', outcome: 'not_found' })).toBe(1);
    // refused by the body parser before any source is read: counted all the same, provider unknown
    expect(delta({ provider: 'unknown', outcome: 'invalid' })).toBe(2);
    expect(after.text).toMatch(
      /# HELP hookhub_ingest_requests_total Ingest requests answered, by the provider of the source/,
    );
    // the existing series stay
    expect(after.value('hookhub_ingest_verification_failures_total', { provider: 'generic', route: 'source' })).toBe(
      before.value('hookhub_ingest_verification_failures_total', { provider: 'generic', route: 'source' }) + 1,
    );
  });

  it('measures processing, deliveries by outcome and status class, and the latency of a success', async () => {
    const sourceId = await createSource();
    const ok = await subscribe('/hook', ['order.created']);
    const broken = await subscribe('/broken', ['order.created']);
    const before = await scrape();
    const body = JSON.stringify({ event_type: 'order.created', event_id: 'ord-2-created', order: { id: 2 } });
    const res = await request(t.http).post(`/api/v1/ingest/${sourceId}`).set(signed(body)).send(body).expect(202);
    await settledInbound(t.http, tenant.auth, res.body.data.webhook_event_id as string, 'completed');
    await deliveryOf(ok, 'success');
    await deliveryOf(broken, 'retrying');
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/broken', '/hook']);
    // tracing is off unless an OTLP endpoint is set: deliveries carry no traceparent
    expect(receiver.requests.map((r) => r.headers.traceparent)).toEqual([undefined, undefined]);

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels);
    const run = { provider: 'generic', outcome: 'completed' };
    expect(delta('hookhub_inbound_processing_duration_seconds_count', run)).toBe(1);
    expect(delta('hookhub_inbound_processing_duration_seconds_bucket', { le: '+Inf', ...run })).toBe(1);
    expect(delta('hookhub_inbound_processing_duration_seconds_sum', run)).toBeGreaterThan(0);
    expect(delta('hookhub_delivery_attempts_total', { outcome: 'success', status_class: '2xx' })).toBe(1);
    expect(delta('hookhub_delivery_attempts_total', { outcome: 'retrying', status_class: '5xx' })).toBe(1);
    expect(delta('hookhub_delivery_latency_seconds_count')).toBe(1);
    expect(delta('hookhub_delivery_latency_seconds_sum')).toBeGreaterThan(0);
    // the latency is from the event's creation, which came before the receiver answered
    expect(delta('hookhub_delivery_latency_seconds_bucket', { le: '86400' })).toBe(1);
  });

  it('counts each delivery of a batch, sent in one request', async () => {
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({
        name: 'batched',
        url: receiver.url('/batch'),
        events: ['order.shipped'],
        batch: { max_events: 3, max_wait_ms: 60_000 },
      })
      .expect(201);
    const before = await scrape();
    for (const id of [5, 6, 7]) {
      await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .send({ event_type: 'order.shipped', data: { id } })
        .expect(202);
    }
    const [batch] = await eventually(async () => {
      const sent = receiver.requests.filter((r) => r.path === '/batch');
      return sent.length > 0 ? sent : undefined;
    });
    expect(batch.headers['x-webhook-batch-size']).toBe('3');
    await eventually(async () => {
      const list = await request(t.http)
        .get(`/api/v1/webhooks/${res.body.data.webhook_id as string}/deliveries`)
        .set(tenant.auth)
        .expect(200);
      const statuses = (list.body.data as { status: string }[]).map((d) => d.status);
      return statuses.length === 3 && statuses.every((status) => status === 'success') ? true : undefined;
    });
    const after = await scrape();
    const labels = { outcome: 'success', status_class: '2xx' };
    expect(after.value('hookhub_delivery_attempts_total', labels)).toBe(
      before.value('hookhub_delivery_attempts_total', labels) + 3,
    );
    expect(after.value('hookhub_delivery_latency_seconds_count')).toBe(
      before.value('hookhub_delivery_latency_seconds_count') + 3,
    );
  });

  it('counts a delivery to an address that does not answer as network', async () => {
    const closed = await new Receiver().start();
    const url = closed.url('/gone');
    await closed.stop();
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'closed', url, events: ['order.lost'] })
      .expect(201);
    const before = await scrape();
    await request(t.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: 'order.lost', data: { id: 3 } })
      .expect(202);
    await deliveryOf(res.body.data.webhook_id as string, 'retrying');
    const after = await scrape();
    const labels = { outcome: 'retrying', status_class: 'network' };
    expect(after.value('hookhub_delivery_attempts_total', labels)).toBe(
      before.value('hookhub_delivery_attempts_total', labels) + 1,
    );
  });

  it('counts notifications by channel and outcome', async () => {
    await request(t.http)
      .post('/api/v1/notification-rules')
      .set(tenant.auth)
      .send({
        name: 'orders',
        event_types: ['order.paid'],
        channel: 'telegram',
        target: '-100200300',
        template: 'Order {{data.id}} paid',
        credentials: { bot_token: BOT },
      })
      .expect(201);
    const before = await scrape();
    const published = await request(t.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: 'order.paid', data: { id: 4 } })
      .expect(202);
    const eventId = published.body.data.event_id as string;
    await eventually(async () => {
      const res = await request(t.http).get(`/api/v1/notifications?event_id=${eventId}`).set(tenant.auth).expect(200);
      return res.body.data[0]?.status === 'sent' ? true : undefined;
    });
    expect(telegram.requests).toHaveLength(1);
    const after = await scrape();
    const labels = { channel: 'telegram', outcome: 'sent' };
    expect(after.value('hookhub_notifications_total', labels)).toBe(
      before.value('hookhub_notifications_total', labels) + 1,
    );
  });

  it('reports the queue backlog of every kind and the database pool', async () => {
    // the failed attempts above wait an hour for their retry: scheduled deliveries (read at most every 5 s)
    const reading = await eventually(
      async () => {
        const s = await scrape();
        return s.value('hookhub_queue_depth', { kind: 'deliveries', state: 'scheduled' }) >= 2 ? s : undefined;
      },
      15_000,
      'scheduled deliveries in the backlog',
    );
    for (const kind of ['deliveries', 'inbound', 'notifications']) {
      expect(reading.samples.has(`hookhub_queue_depth{kind="${kind}",state="due"}`)).toBe(true);
      expect(reading.samples.has(`hookhub_queue_depth{kind="${kind}",state="scheduled"}`)).toBe(true);
      expect(reading.value('hookhub_queue_oldest_age_seconds', { kind })).toBeGreaterThanOrEqual(0);
      expect(reading.samples.has(`hookhub_queue_oldest_age_seconds{kind="${kind}"}`)).toBe(true);
    }
    expect(reading.value('hookhub_db_pool_max_connections')).toBeGreaterThanOrEqual(20);
    const connections =
      reading.value('hookhub_db_pool_connections', { state: 'busy' }) +
      reading.value('hookhub_db_pool_connections', { state: 'idle' });
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(reading.samples.has('hookhub_db_pool_waiting_clients')).toBe(true);
    expect(reading.text).toContain('hookhub_build_info{version="0.1.0",role="all"} 1');
  });

  it('declares every series the Grafana dashboard queries', async () => {
    const names = dashboardSeries();
    expect(names.length).toBeGreaterThan(10);
    const reading = await scrape();
    expect(names.filter((name) => !reading.declares(name))).toEqual([]);
  });

  describe('a worker (APP_ROLE=worker)', () => {
    let worker: INestApplicationContext;
    let base: string;

    beforeAll(async () => {
      worker = await startWorker({ ALLOW_HTTP_URLS: 'true', ALLOW_PRIVATE_URLS: 'true' });
      base = `http://127.0.0.1:${worker.get(MetricsServer).port()}`;
    });

    afterAll(async () => {
      await worker.close();
    });

    it('serves /metrics and a liveness /health on METRICS_PORT', async () => {
      const metrics = await fetch(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await metrics.text();
      expect(text).toContain('hookhub_build_info{version="0.1.0",role="worker"} 1');
      expect(text).toMatch(/^hookhub_queue_depth\{kind="deliveries",state="scheduled"\} \d+$/m);
      expect(text).toMatch(/^hookhub_process_cpu_seconds_total \d/m);
      const health = await fetch(`${base}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', role: 'worker' });
      expect((await fetch(`${base}/docs`)).status).toBe(404);
      expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
    });

    it('is the only role with a metrics server: the api and all roles serve /metrics on PORT', () => {
      expect(worker.get(MetricsServer).port()).toEqual(expect.any(Number));
      expect(t.app.get(MetricsServer).port()).toBeNull();
    });
  });
});
