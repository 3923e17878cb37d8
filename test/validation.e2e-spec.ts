import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTenant, startApp, TEST_ADMIN_KEY, TestApp, TestTenant } from './helpers/app';
import { inboundEvent, settledInbound } from './helpers/inbound';
import { eventually } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '300ms',
  SWEEP_INTERVAL: '300ms',
};

type Detail = { field: string; message: string };

const NOT_OBJECTS: [string, unknown][] = [
  ['an array', []],
  ['an array of objects', [{ a: 1 }]],
  ['a string', 'x'],
  ['a number', 1],
  ['a boolean', true],
];

const rule = { name: 'r', event_types: ['deal.won'], channel: 'telegram', target: '1', template: 'hi' };
const withToken = { ...rule, credentials: { bot_token: '123456:test-token' } };

describe('Validation of request bodies (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let webhookId: string;
  let ruleId: string;

  beforeAll(async () => {
    t = await startApp({ ...ENV, APP_ROLE: 'api' });
    tenant = await createTenant(t.http);
    const webhook = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'crm', url: 'http://127.0.0.1:9/hook', events: ['deal.won'] })
      .expect(201);
    webhookId = webhook.body.data.webhook_id;
    const created = await request(t.http)
      .post('/api/v1/notification-rules')
      .set(tenant.auth)
      .send(withToken)
      .expect(201);
    ruleId = created.body.data.rule_id;
  });

  afterAll(async () => {
    await t.close();
  });

  /** [method, path, a valid body without the field, the field]: every object-typed field of a request body. */
  const objectFields: [string, 'post' | 'patch', () => string, Record<string, unknown>, string][] = [
    ['sources', 'post', () => '/api/v1/sources', { name: 's', provider: 'generic' }, 'verification'],
    ['sources', 'post', () => '/api/v1/sources', { name: 's', provider: 'generic' }, 'config'],
    ['sources', 'patch', () => '/api/v1/sources/src_00000000000000000000000000', {}, 'verification'],
    ['sources', 'patch', () => '/api/v1/sources/src_00000000000000000000000000', {}, 'config'],
    [
      'webhooks',
      'post',
      () => '/api/v1/webhooks',
      { name: 'w', url: 'http://127.0.0.1:9/h', events: ['deal.won'] },
      'metadata',
    ],
    [
      'webhooks',
      'post',
      () => '/api/v1/webhooks',
      { name: 'w', url: 'http://127.0.0.1:9/h', events: ['x.y'] },
      'headers',
    ],
    ['webhooks', 'patch', () => `/api/v1/webhooks/${webhookId}`, {}, 'metadata'],
    ['webhooks', 'patch', () => `/api/v1/webhooks/${webhookId}`, {}, 'headers'],
    ['webhooks', 'patch', () => `/api/v1/webhooks/${webhookId}`, {}, 'payload_template'],
    ['events', 'post', () => '/api/v1/events', { event_type: 'deal.won' }, 'data'],
    ['events', 'post', () => '/api/v1/events', { event_type: 'deal.won', data: {} }, 'metadata'],
    ['notification-rules', 'post', () => '/api/v1/notification-rules', rule, 'credentials'],
    ['notification-rules', 'post', () => '/api/v1/notification-rules', withToken, 'suppression'],
    ['notification-rules', 'post', () => '/api/v1/notification-rules', withToken, 'whatsapp_template'],
    ['notification-rules', 'patch', () => `/api/v1/notification-rules/${ruleId}`, {}, 'suppression'],
    ['notification-rules', 'post', () => `/api/v1/notification-rules/${ruleId}/test`, {}, 'event'],
  ];

  describe.each(objectFields)('%s: %s %s', (_feature, method, path, body, field) => {
    it.each(NOT_OBJECTS)(`refuses ${field} as %s with one detail naming it`, async (_what, value) => {
      const res = await request(t.http)
        [method](path())
        .set(tenant.auth)
        .send({ ...body, [field]: value });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([{ field, message: `${field} must be a JSON object` }]);
      expect(res.body.error.message).toBe(`The request is invalid: check ${field}.`);
    });
  });

  it('refuses a notification condition that is not an object, naming the list', async () => {
    for (const item of [[], 'x', 1]) {
      const res = await request(t.http)
        .post('/api/v1/notification-rules')
        .set(tenant.auth)
        .send({ ...withToken, conditions: [{ path: 'data.a', op: 'exists' }, item] })
        .expect(400);
      expect(res.body.error.details).toEqual([
        { field: 'conditions', message: 'each item of conditions must be a JSON object' },
      ]);
    }
  });

  it('still takes a source whose verification is an object (and stores nothing for the refused ones)', async () => {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'ok', provider: 'generic', verification: { scheme: 'none' }, config: {} })
      .expect(201);
    expect(res.body.data.verification.scheme).toBe('none');
    const list = await request(t.http).get('/api/v1/sources').set(tenant.auth).expect(200);
    expect(list.body.data.map((s: { name: string }) => s.name)).toEqual(['ok']);
  });

  it('answers an empty tenant body with exactly one detail: name is required', async () => {
    const res = await request(t.http)
      .post('/api/v1/tenants')
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({})
      .expect(400);
    expect(res.body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'The request is invalid: check name.',
      details: [{ field: 'name', message: 'name is required' }],
    });
  });

  it.each([
    ['/api/v1/webhooks', ['events', 'name', 'url']],
    ['/api/v1/sources', ['name', 'provider']],
    ['/api/v1/events', ['data', 'event_type']],
    ['/api/v1/notification-rules', ['channel', 'event_types', 'name', 'target']],
  ])('answers an empty body of POST %s with one "is required" detail per missing field', async (path, fields) => {
    const res = await request(t.http).post(path).set(tenant.auth).send({}).expect(400);
    const details = res.body.error.details as Detail[];
    expect([...details].sort((a, b) => a.field.localeCompare(b.field))).toEqual(
      fields.map((field) => ({ field, message: `${field} is required` })),
    );
  });

  it('gives a wrong value one detail with the most useful message', async () => {
    const typed = await request(t.http)
      .post('/api/v1/tenants')
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name: 42 })
      .expect(400);
    expect(typed.body.error.details).toEqual([{ field: 'name', message: 'name must be a string' }]);
    const empty = await request(t.http)
      .post('/api/v1/tenants')
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
      .send({ name: '' })
      .expect(400);
    expect(empty.body.error.details).toEqual([{ field: 'name', message: 'name should not be empty' }]);
    const limit = await request(t.http).get('/api/v1/sources?limit=abc').set(tenant.auth).expect(400);
    expect(limit.body.error.details).toEqual([{ field: 'limit', message: 'limit must be an integer number' }]);
  });
});

describe('Processing failures (e2e)', () => {
  let t: TestApp;
  let db: DataSource;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startApp(ENV);
    db = t.app.get(DataSource);
    // a transient database error (a serialization failure) for the events this spec marks, nothing else
    await db.query(`CREATE OR REPLACE FUNCTION validation_spec_transient() RETURNS trigger AS $$
      BEGIN
        IF position('validation_spec_transient' in NEW.data::text) > 0 THEN
          RAISE EXCEPTION 'could not serialize access (stood for by a test trigger)' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.query(`CREATE TRIGGER validation_spec_transient BEFORE INSERT ON events
      FOR EACH ROW EXECUTE FUNCTION validation_spec_transient()`);
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await db.query('DROP TRIGGER IF EXISTS validation_spec_transient ON events');
    await db.query('DROP FUNCTION IF EXISTS validation_spec_transient()');
    await t.close();
  });

  async function createSource(provider: string, config: Record<string, unknown> = {}) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: provider, provider, verification: { scheme: 'none' }, config: { max_retries: 3, ...config } })
      .expect(201);
    expect(res.body.data).toMatchObject({ last_error: null, last_error_at: null });
    return res.body.data.source_id as string;
  }

  async function ingest(sourceId: string, body: string): Promise<string> {
    const res = await request(t.http)
      .post(`/api/v1/ingest/${sourceId}`)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(202);
    return res.body.data.webhook_event_id as string;
  }

  const source = async (sourceId: string) =>
    (await request(t.http).get(`/api/v1/sources/${sourceId}`).set(tenant.auth).expect(200)).body.data;

  it('fails an event with no event type at once, with its reason, and the source shows it', async () => {
    const sourceId = await createSource('generic');
    const id = await ingest(sourceId, JSON.stringify({ order: 1 }));
    const failed = await settledInbound(t.http, tenant.auth, id, 'failed');
    // one run, no retry scheduled although max_retries allows 3
    expect(failed).toMatchObject({ retry_count: 1, max_retries: 3, next_retry_at: null });
    expect(failed.error).toMatch(/^no event type: send event_type or type in the body/);
    const shown = await source(sourceId);
    expect(shown.last_error).toBe(failed.error);
    expect(Date.parse(shown.last_error_at)).not.toBeNaN();

    // fixing the source and retrying by hand runs it again
    await request(t.http)
      .patch(`/api/v1/sources/${sourceId}`)
      .set(tenant.auth)
      .send({ config: { default_event_type: 'order.created' } })
      .expect(200);
    await request(t.http).post(`/api/v1/inbound-events/${id}/retry`).set(tenant.auth).expect(202);
    const done = await settledInbound(t.http, tenant.auth, id, 'completed');
    expect(done.event_type).toBe('order.created');
  });

  it('fails a payload its normaliser cannot read at once, naming why', async () => {
    const sourceId = await createSource('stripe');
    const id = await ingest(sourceId, JSON.stringify([{ id: 'evt_1', type: 'charge.refunded' }]));
    const failed = await settledInbound(t.http, tenant.auth, id, 'failed');
    expect(failed).toMatchObject({
      retry_count: 1,
      next_retry_at: null,
      error: 'the Stripe payload is not a JSON object',
    });
    expect((await source(sourceId)).last_error).toBe('the Stripe payload is not a JSON object');
  });

  it('still retries a transient failure on the schedule until max_retries, and the source shows it', async () => {
    const sourceId = await createSource('generic', { max_retries: 2 });
    const id = await ingest(sourceId, JSON.stringify({ event_type: 'order.paid', validation_spec_transient: true }));
    const retrying = await eventually(async () => {
      const e = await inboundEvent(t.http, tenant.auth, id);
      return e.status === 'retrying' ? e : undefined;
    });
    expect(retrying.error).toMatch(/could not serialize access/);
    expect(retrying.next_retry_at).not.toBeNull();
    const failed = await settledInbound(t.http, tenant.auth, id, 'failed');
    expect(failed).toMatchObject({
      retry_count: 3,
      max_retries: 2,
      error: expect.stringMatching(/could not serialize/),
    });
    const shown = await source(sourceId);
    expect(shown.last_error).toMatch(/could not serialize access/);

    // the source keeps its last error after a later success, with the time it happened
    const ok = await ingest(sourceId, JSON.stringify({ event_type: 'order.paid', n: 2 }));
    await settledInbound(t.http, tenant.auth, ok, 'completed');
    expect(await source(sourceId)).toMatchObject({ last_error: shown.last_error, last_error_at: shown.last_error_at });
  });
});
