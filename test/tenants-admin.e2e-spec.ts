import request from 'supertest';
import { DataSource } from 'typeorm';
import { startApp, TEST_ADMIN_KEY, TestApp } from './helpers/app';
import { settledInbound } from './helpers/inbound';
import { eventually, Receiver } from './helpers/receiver';

const ADMIN = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
const BOT = '123456:tenants-admin-bot';

/** Every table holding tenant rows, with the column naming the tenant. */
const TENANT_TABLES: [string, string][] = [
  ['tenants', 'id'],
  ['api_keys', 'tenant_id'],
  ['subscriptions', 'tenant_id'],
  ['events', 'tenant_id'],
  ['deliveries', 'tenant_id'],
  ['delivery_attempts', 'tenant_id'],
  ['sources', 'tenant_id'],
  ['inbound_events', 'tenant_id'],
  ['entity_states', 'tenant_id'],
  ['notification_rules', 'tenant_id'],
  ['notifications', 'tenant_id'],
];

interface Tenant {
  tenantId: string;
  apiKeyId: string;
  auth: { Authorization: string };
}

describe('Tenant administration and API keys (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let receiver: Receiver;
  let telegram: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    telegram = await new Receiver().start();
    telegram.reply = () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true,"result":{"message_id":1}}',
    });
    t = await startApp({
      ALLOW_HTTP_URLS: 'true',
      ALLOW_PRIVATE_URLS: 'true',
      // one delivery at a time: while one attempt hangs, the others wait in the queue
      DELIVERY_CONCURRENCY: '1',
      DELIVERY_RETRY_SCHEDULE: '3s,3s,3s,3s,3s',
      SWEEP_INTERVAL: '300ms',
      TELEGRAM_API_URL: telegram.url(''),
    });
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
    await receiver.stop();
    await telegram.stop();
  });

  async function newTenant(name: string): Promise<Tenant> {
    const res = await request(t.http).post('/api/v1/tenants').set(ADMIN).send({ name }).expect(201);
    return {
      tenantId: res.body.data.tenant_id,
      apiKeyId: res.body.data.api_key_id,
      auth: { Authorization: `Bearer ${res.body.data.api_key}` },
    };
  }

  async function subscribe(tenant: Tenant, path: string): Promise<string> {
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: path, url: receiver.url(path), events: ['deal.*'] })
      .expect(201);
    return res.body.data.webhook_id as string;
  }

  async function publish(tenant: Tenant, n: number): Promise<string> {
    const res = await request(t.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: 'deal.won', data: { n } })
      .expect(202);
    return res.body.data.event_id as string;
  }

  async function rowsOf(tenantId: string): Promise<Record<string, number>> {
    const rows: Record<string, number> = {};
    for (const [table, column] of TENANT_TABLES) {
      const [{ n }] = await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table} WHERE ${column} = $1`, [
        tenantId,
      ]);
      rows[table] = Number(n);
    }
    return rows;
  }

  async function deliveryStatuses(tenant: Tenant, webhookId: string): Promise<string[]> {
    const res = await request(t.http).get(`/api/v1/webhooks/${webhookId}/deliveries?limit=100`).set(tenant.auth);
    return (res.body.data as { status: string }[]).map((d) => d.status).sort();
  }

  /** A source whose inbound events make entity states, and a rule whose notifications go to the fake Telegram. */
  async function furnish(tenant: Tenant): Promise<void> {
    const source = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'crm', provider: 'generic', verification: { scheme: 'none' } })
      .expect(201);
    const inbound = await request(t.http)
      .post(`/api/v1/ingest/${source.body.data.source_id}`)
      .set('Content-Type', 'application/json')
      .send({ event_type: 'lead.created', entity_type: 'lead', entity_id: '7' })
      .expect(202);
    await settledInbound(t.http, tenant.auth, inbound.body.data.webhook_event_id, 'completed');
    await request(t.http)
      .post('/api/v1/notification-rules')
      .set(tenant.auth)
      .send({
        name: 'deals',
        event_types: ['deal.won'],
        channel: 'telegram',
        target: '-100200300',
        template: 'Deal won',
        credentials: { bot_token: BOT },
      })
      .expect(201);
  }

  it('lists tenants newest first with their counts, for the admin key only', async () => {
    const tenant = await newTenant('Counted');
    const kept = await subscribe(tenant, '/counted');
    const gone = await subscribe(tenant, '/counted-gone');
    await request(t.http).delete(`/api/v1/webhooks/${gone}`).set(tenant.auth).expect(200);
    await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 's', provider: 'generic', verification: { scheme: 'none' } })
      .expect(201);
    await publish(tenant, 1);
    await publish(tenant, 2);
    await eventually(async () => ((await deliveryStatuses(tenant, kept)).length === 2 ? true : undefined));
    const extra = await request(t.http).post('/api/v1/tenants/me/api-keys').set(tenant.auth).send({}).expect(201);
    const revoked = await request(t.http).post('/api/v1/tenants/me/api-keys').set(tenant.auth).send({}).expect(201);
    await request(t.http)
      .delete(`/api/v1/tenants/me/api-keys/${revoked.body.data.api_key_id}`)
      .set(tenant.auth)
      .expect(200);
    const newest = await newTenant('Newest');

    const res = await request(t.http).get('/api/v1/tenants?limit=100').set(ADMIN).expect(200);
    const ids = (res.body.data as { tenant_id: string }[]).map((x) => x.tenant_id);
    expect(ids.indexOf(newest.tenantId)).toBeLessThan(ids.indexOf(tenant.tenantId));
    expect(res.body.data.find((x: { tenant_id: string }) => x.tenant_id === tenant.tenantId)).toEqual({
      tenant_id: tenant.tenantId,
      name: 'Counted',
      timezone: 'UTC',
      locale: 'en',
      created_at: expect.any(String),
      counts: { webhooks: 1, sources: 1, events: 2, deliveries: 2, api_keys: 2 },
    });
    expect(res.body.data.find((x: { tenant_id: string }) => x.tenant_id === newest.tenantId).counts).toEqual({
      webhooks: 0,
      sources: 0,
      events: 0,
      deliveries: 0,
      api_keys: 1,
    });
    expect(extra.body.data.api_key).toMatch(/^hh_/);

    const page = await request(t.http).get('/api/v1/tenants?limit=1&offset=1').set(ADMIN).expect(200);
    expect(page.body.data).toHaveLength(1);
    expect(page.body.meta.pagination).toEqual({ limit: 1, offset: 1, total: res.body.meta.pagination.total });
    expect(page.body.meta.pagination.total).toBeGreaterThanOrEqual(2);

    expect((await request(t.http).get('/api/v1/tenants').set(tenant.auth).expect(401)).body.error.code).toBe(
      'UNAUTHORIZED',
    );
    await request(t.http).get('/api/v1/tenants?limit=0').set(ADMIN).expect(400);
  });

  it('deletes a tenant with all its data while its deliveries are queued, retrying and sending; another tenant keeps all of its own', async () => {
    const other = await newTenant('Other');
    await furnish(other);
    const otherHook = await subscribe(other, '/other');
    await publish(other, 0);
    await eventually(async () => {
      const sent = await request(t.http).get('/api/v1/notifications?status=sent').set(other.auth).expect(200);
      const statuses = await deliveryStatuses(other, otherHook);
      return sent.body.data.length === 1 && statuses.join() === 'success' ? true : undefined;
    });
    const otherRows = await rowsOf(other.tenantId);

    const doomed = await newTenant('Doomed');
    await furnish(doomed);
    const hook = await subscribe(doomed, '/doomed');
    const toDoomed = () => receiver.requests.filter((r) => r.path === '/doomed');
    // the first attempt fails (its delivery retries in 3 s); the second hangs (until the 10 s timeout) and
    // holds the one delivery slot, so the retry and the later deliveries wait
    receiver.reply = (req) =>
      req.path !== '/doomed' ? { status: 200 } : toDoomed().length === 1 ? { status: 500 } : { hang: true };
    await publish(doomed, 1);
    await eventually(async () => ((await deliveryStatuses(doomed, hook)).join() === 'retrying' ? true : undefined));
    await publish(doomed, 2);
    await eventually(async () => (toDoomed().length === 2 ? true : undefined));
    await publish(doomed, 3);
    await publish(doomed, 4);
    expect(await deliveryStatuses(doomed, hook)).toEqual(['queued', 'queued', 'retrying', 'sending']);
    const before = await rowsOf(doomed.tenantId);
    for (const table of TENANT_TABLES.map(([name]) => name))
      expect({ table, n: before[table] > 0 }).toEqual({ table, n: true });
    const sourceId = (await request(t.http).get('/api/v1/sources').set(doomed.auth).expect(200)).body.data[0].source_id;

    const res = await request(t.http).delete(`/api/v1/tenants/${doomed.tenantId}`).set(ADMIN).expect(200);
    expect(res.body.data).toEqual({ tenant_id: doomed.tenantId, status: 'deleted' });

    expect(Object.values(await rowsOf(doomed.tenantId))).toEqual(TENANT_TABLES.map(() => 0));
    await request(t.http).get('/api/v1/tenants/me').set(doomed.auth).expect(401);
    await request(t.http)
      .post(`/api/v1/ingest/${sourceId}`)
      .set('Content-Type', 'application/json')
      .send({ event_type: 'lead.created' })
      .expect(404);
    await request(t.http).delete(`/api/v1/tenants/${doomed.tenantId}`).set(ADMIN).expect(404);
    const listed = await request(t.http).get('/api/v1/tenants?limit=100').set(ADMIN).expect(200);
    expect(listed.body.data.map((x: { tenant_id: string }) => x.tenant_id)).not.toContain(doomed.tenantId);

    // the worker, freed when the hung attempt times out, takes the doomed jobs (queued before this one) and
    // finds nothing to send; the other tenant's new event goes through behind them
    const sentBefore = toDoomed().length;
    await publish(other, 5);
    await eventually(
      async () => ((await deliveryStatuses(other, otherHook)).join() === 'success,success' ? true : undefined),
      20_000,
    );
    expect(toDoomed()).toHaveLength(sentBefore);
    expect(sentBefore).toBe(2);
    const otherNow = await rowsOf(other.tenantId);
    // the other tenant's one new event added an event, a delivery and its attempt, and a notification
    expect(otherNow).toEqual({
      ...otherRows,
      events: otherRows.events + 1,
      deliveries: otherRows.deliveries + 1,
      delivery_attempts: otherRows.delivery_attempts + 1,
      notifications: otherRows.notifications + 1,
    });
  });

  it('lets a tenant create, list and revoke its own API keys; the key in use cannot revoke itself', async () => {
    const tenant = await newTenant('Keys');
    const stranger = await newTenant('Stranger');
    await request(t.http).get('/api/v1/tenants/me').set(tenant.auth).expect(200);

    const created = await request(t.http)
      .post('/api/v1/tenants/me/api-keys')
      .set(tenant.auth)
      .send({ name: 'ci' })
      .expect(201);
    const ci = created.body.data;
    expect(ci).toEqual({
      tenant_id: tenant.tenantId,
      api_key_id: expect.stringMatching(/^key_/),
      name: 'ci',
      api_key: expect.stringMatching(/^hh_/),
      prefix: ci.api_key.slice(0, 10),
      created_at: expect.any(String),
    });
    const ciAuth = { Authorization: `Bearer ${ci.api_key}` };
    const me = await request(t.http).get('/api/v1/tenants/me').set('X-API-Key', ci.api_key).expect(200);
    expect(me.body.data.tenant_id).toBe(tenant.tenantId);

    const list = await request(t.http).get('/api/v1/tenants/me/api-keys').set(ciAuth).expect(200);
    expect(list.body.meta.pagination).toEqual({ limit: 20, offset: 0, total: 2 });
    expect(list.body.data).toEqual([
      {
        api_key_id: ci.api_key_id,
        name: 'ci',
        prefix: ci.prefix,
        created_at: ci.created_at,
        last_used_at: expect.any(String),
      },
      {
        api_key_id: tenant.apiKeyId,
        name: 'default',
        prefix: tenant.auth.Authorization.slice('Bearer '.length, 'Bearer '.length + 10),
        created_at: expect.any(String),
        last_used_at: expect.any(String),
      },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(ci.api_key);

    // the key making the call cannot revoke itself, and keeps working
    const self = await request(t.http).delete(`/api/v1/tenants/me/api-keys/${ci.api_key_id}`).set(ciAuth).expect(409);
    expect(self.body.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Cannot revoke the key in use/),
    });
    await request(t.http).get('/api/v1/tenants/me').set(ciAuth).expect(200);

    // another key of the tenant can; the revoked key stops working at once
    const revoked = await request(t.http)
      .delete(`/api/v1/tenants/me/api-keys/${tenant.apiKeyId}`)
      .set(ciAuth)
      .expect(200);
    expect(revoked.body.data).toEqual({ api_key_id: tenant.apiKeyId, status: 'revoked' });
    await request(t.http).get('/api/v1/tenants/me').set(tenant.auth).expect(401);
    await request(t.http).delete(`/api/v1/tenants/me/api-keys/${tenant.apiKeyId}`).set(ciAuth).expect(404);
    const after = await request(t.http).get('/api/v1/tenants/me/api-keys').set(ciAuth).expect(200);
    expect(after.body.data.map((k: { api_key_id: string }) => k.api_key_id)).toEqual([ci.api_key_id]);

    // another tenant's key is not found, and its owner keeps it
    await request(t.http).delete(`/api/v1/tenants/me/api-keys/${stranger.apiKeyId}`).set(ciAuth).expect(404);
    await request(t.http).get('/api/v1/tenants/me').set(stranger.auth).expect(200);

    // the admin key is not a tenant key; bodies are validated
    await request(t.http).post('/api/v1/tenants/me/api-keys').set(ADMIN).send({}).expect(401);
    const bad = await request(t.http).post('/api/v1/tenants/me/api-keys').set(ciAuth).send({ name: 5 }).expect(400);
    expect(bad.body.error.details).toEqual([{ field: 'name', message: 'name must be a string' }]);

    // the admin routes for keys stay
    const issued = await request(t.http)
      .post(`/api/v1/tenants/${tenant.tenantId}/api-keys`)
      .set(ADMIN)
      .send({ name: 'ops' })
      .expect(201);
    await request(t.http)
      .delete(`/api/v1/tenants/${tenant.tenantId}/api-keys/${issued.body.data.api_key_id}`)
      .set(ADMIN)
      .expect(200);
    await request(t.http).get('/api/v1/tenants/me').set('X-API-Key', issued.body.data.api_key).expect(401);
  });
});
