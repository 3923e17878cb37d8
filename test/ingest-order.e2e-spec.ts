import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

describe('Out-of-order inbound events (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;
  let sourceId: string;

  beforeAll(async () => {
    t = await startApp({
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: 'true',
      SWEEP_INTERVAL: '300ms',
      DELIVERY_RETRY_SCHEDULE: '300ms',
    });
    receiver = await new Receiver().start();
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver.requests.length = 0;
    const src = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'crm', provider: 'generic', verification: { scheme: 'none' } })
      .expect(201);
    sourceId = src.body.data.source_id;
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  async function ingest(body: Record<string, unknown>) {
    const res = await request(t.http)
      .post(`/api/v1/ingest/${sourceId}`)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(202);
    const id = res.body.data.webhook_event_id as string;
    return eventually(async () => {
      const r = await request(t.http).get(`/api/v1/inbound-events/${id}`).set(tenant.auth).expect(200);
      return r.body.data.status === 'completed' ? r.body.data : undefined;
    });
  }

  it('marks an update that arrives before its create: the late create is stale, stored and fanned out with the mark', async () => {
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'all', url: receiver.url(), events: ['deal.*'] })
      .expect(201);
    const entity = { entity_type: 'deal', entity_id: 7 };
    const update = await ingest({ event_type: 'deal.updated', ...entity, occurred_at: '2025-01-09T12:00:10Z', n: 1 });
    const create = await ingest({ event_type: 'deal.created', ...entity, occurred_at: '2025-01-09T12:00:00Z', n: 2 });
    expect(update.entity_key).toBe(`generic:${sourceId}:deal:7`);
    expect(update.execution_context.stale).toBeUndefined();
    expect(create.execution_context).toMatchObject({
      stale: true,
      stale_events: [{ event_type: 'deal.created', reason: 'older_than_seen' }],
    });

    const requests = await receiver.waitForRequests(2);
    const byType = Object.fromEntries(requests.map((r) => [JSON.parse(r.body).event_type, JSON.parse(r.body)]));
    expect(byType['deal.created'].metadata).toMatchObject({ stale: true, stale_reason: 'older_than_seen' });
    expect(byType['deal.updated'].metadata.stale).toBeUndefined();
  });

  it('marks anything after a delete, but not a restore', async () => {
    const entity = { entity_type: 'lead', entity_id: 'x1' };
    await ingest({ event_type: 'lead.deleted', ...entity, occurred_at: '2025-01-09T12:00:00Z' });
    const late = await ingest({ event_type: 'lead.updated', ...entity, occurred_at: '2025-01-09T12:05:00Z' });
    expect(late.execution_context).toMatchObject({ stale: true, stale_events: [{ reason: 'after_delete' }] });
    const restore = await ingest({ event_type: 'lead.restored', ...entity, occurred_at: '2025-01-09T12:06:00Z' });
    expect(restore.execution_context.stale).toBeUndefined();
    const after = await ingest({ event_type: 'lead.updated', ...entity, occurred_at: '2025-01-09T12:07:00Z' });
    expect(after.execution_context.stale).toBeUndefined();
  });

  it('keeps entities and tenants apart', async () => {
    await ingest({
      event_type: 'deal.updated',
      entity_type: 'deal',
      entity_id: 1,
      occurred_at: '2025-01-09T12:00:10Z',
    });
    const other = await ingest({
      event_type: 'deal.created',
      entity_type: 'deal',
      entity_id: 2,
      occurred_at: '2025-01-09T12:00:00Z',
    });
    expect(other.execution_context.stale).toBeUndefined();
  });

  it('delivers one entity in order to an ordered subscription, even when the first delivery needs a retry', async () => {
    let failed = false;
    receiver.reply = (req) => {
      if (JSON.parse(req.body).data.n === 1 && !failed) {
        failed = true;
        return { status: 503 };
      }
      return { status: 200 };
    };
    try {
      await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'ordered', url: receiver.url(), events: ['*'], ordered: true })
        .expect(201);
      for (const n of [1, 2, 3]) {
        await ingest({
          event_type: 'deal.updated',
          entity_type: 'deal',
          entity_id: 99,
          occurred_at: `2025-01-09T12:00:0${n}Z`,
          n,
        });
      }
      const requests = await receiver.waitForRequests(4, 20_000);
      expect(requests.map((r) => JSON.parse(r.body).data.n)).toEqual([1, 1, 2, 3]);
    } finally {
      receiver.reply = () => ({ status: 200 });
    }
  });
});
