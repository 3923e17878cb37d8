import { createHmac } from 'node:crypto';
import request from 'supertest';
import type { App } from 'supertest/types';
import { Webhook } from 'standardwebhooks';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

/**
 * The management API of outgoing webhooks (CONTRACT §1, §3, §4): subscriptions, events, the delivery
 * log and the actions on it, tenant isolation and the OpenAPI document. Every test (or describe, where
 * its tests share fixtures) works in a tenant of its own, so it never sees another test's subscriptions.
 */

const OUTGOING = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms,300ms',
  SWEEP_INTERVAL: '500ms',
};

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const GENERATED_SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

/** The fields of a subscription answer, as CONTRACT §3 lists them. */
const CONTRACT_FIELDS = [
  'webhook_id',
  'name',
  'url',
  'events',
  'active',
  'description',
  'metadata',
  'headers',
  'timeout_ms',
  'rate_limit_per_second',
  'disabled_reason',
  'created_at',
  'updated_at',
  'last_delivery',
  'deliveries_count',
  'failures_count',
  'success_rate',
];

/** Nothing listens there: a valid destination for subscriptions that never receive anything. */
const NOWHERE = 'http://127.0.0.1:9/hook';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Detail {
  field?: string;
  message: string;
}

/** An item of a delivery log. */
interface DeliveryRow {
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempt: number;
  http_status: number | null;
  original_delivery_id: string | null;
  [field: string]: unknown;
}

interface Listed<T> {
  data: T[];
  meta: { pagination: Record<string, number> };
}

/** A 400 VALIDATION_FAILED whose details name `field` (or one of `fields`; a nested path below it counts). */
function expectInvalid(res: request.Response, field: string | string[]): void {
  const fields = Array.isArray(field) ? field : [field];
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  const details = res.body.error.details as Detail[];
  const named = details.filter(
    (d) =>
      typeof d.field === 'string' &&
      fields.some((f) => d.field === f || d.field!.startsWith(`${f}.`) || d.field!.startsWith(`${f}[`)),
  );
  expect({ fields, details, named: named.length > 0 }).toEqual({ fields, details, named: true });
  named.forEach((d) => expect(d.message).toEqual(expect.any(String)));
}

function expectNotFound(res: request.Response): void {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  expect(res.body.data).toBeUndefined();
}

function hookhubSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

function standardSignature(secret: string, msgId: string, timestamp: string, body: string): string {
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
  return `v1,${createHmac('sha256', key).update(`${msgId}.${timestamp}.${body}`, 'utf8').digest('base64')}`;
}

/** Verifies a received request with the official Standard Webhooks library; throws when no signature matches. */
function verifyStandard(secret: string, req: ReceivedRequest): unknown {
  const key = secret.startsWith('whsec_') ? secret : Buffer.from(secret, 'utf8').toString('base64');
  return new Webhook(key).verify(req.body, {
    'webhook-id': req.headers['webhook-id'] as string,
    'webhook-timestamp': req.headers['webhook-timestamp'] as string,
    'webhook-signature': req.headers['webhook-signature'] as string,
  });
}

describe('Webhooks management API (e2e)', () => {
  let t: TestApp;
  /** ALLOW_HTTP_URLS=true, private addresses refused. No workers: it must not take the main app's jobs. */
  let httpOnly: TestApp;
  /** Defaults: https only, private addresses refused; no workers either. */
  let strict: TestApp;
  /** Receivers started by a test; stopped after it. */
  let receivers: Receiver[] = [];

  beforeAll(async () => {
    // Passport strategies are process-wide: the app started last authenticates for all three, and
    // closing one early breaks the others' authentication (500 "Driver not Connected"). So the
    // URL-policy apps start first, the main app last, and all three stay up until the end.
    httpOnly = await startApp({ ALLOW_HTTP_URLS: 'true', APP_ROLE: 'api' });
    strict = await startApp({ APP_ROLE: 'api' });
    t = await startApp(OUTGOING);
  });

  afterEach(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    receivers = [];
  });

  afterAll(async () => {
    await t?.close();
    await httpOnly?.close();
    await strict?.close();
  });

  async function newReceiver(): Promise<Receiver> {
    const receiver = await new Receiver().start();
    receivers.push(receiver);
    return receiver;
  }

  async function createWebhook(who: TestTenant, body: Record<string, unknown> = {}, http: App = t.http) {
    const res = await request(http)
      .post('/api/v1/webhooks')
      .set(who.auth)
      .send({ name: 'sub', url: NOWHERE, events: ['deal.won'], ...body });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
    return res.body.data;
  }

  async function getWebhook(who: TestTenant, id: string) {
    const res = await request(t.http).get(`/api/v1/webhooks/${id}`).set(who.auth).expect(200);
    return res.body.data;
  }

  async function publish(who: TestTenant, eventType: string, data: Record<string, unknown> = { id: 1 }) {
    const res = await request(t.http).post('/api/v1/events').set(who.auth).send({ event_type: eventType, data });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 202, error: undefined });
    return res.body.data as { event_id: string; event_type: string; matched_webhooks: number };
  }

  async function deliveryLog(who: TestTenant, webhookId: string, query = '') {
    const res = await request(t.http).get(`/api/v1/webhooks/${webhookId}/deliveries${query}`).set(who.auth);
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
    return res.body as Listed<DeliveryRow>;
  }

  async function delivery(who: TestTenant, deliveryId: string) {
    const res = await request(t.http).get(`/api/v1/webhooks/deliveries/${deliveryId}`).set(who.auth).expect(200);
    return res.body.data;
  }

  /** Waits until the log of `webhookId` holds `count` deliveries in `status`. */
  async function waitForStatus(who: TestTenant, webhookId: string, status: string, count = 1, timeoutMs = 15_000) {
    return eventually(
      async () => {
        const log = await deliveryLog(who, webhookId, `?status=${status}`);
        return log.meta.pagination.total >= count ? log.data : undefined;
      },
      timeoutMs,
      `${count} ${status} deliveries of ${webhookId}`,
    );
  }

  /** Polls the log as fast as it can until a delivery is `retrying` (the window lasts ~300 ms here). */
  async function catchRetrying(who: TestTenant, webhookId: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = (await deliveryLog(who, webhookId)).data.find((d) => d.status === 'retrying');
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no retrying delivery of ${webhookId}`);
    }
  }

  // ───────────────────────────── 1. create ─────────────────────────────

  describe('create', () => {
    it('POST /webhooks answers 201 with every contract field, the defaults and a generated whsec_ secret', async () => {
      const tenant = await createTenant(t.http);
      const before = Date.now();
      const res = await request(t.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'CRM sync', url: 'http://127.0.0.1:9/crm', events: ['deal.won', 'task.*'] })
        .expect(201);
      const data = res.body.data;
      expect(Object.keys(data)).toEqual(expect.arrayContaining([...CONTRACT_FIELDS, 'secret']));
      expect(data).toMatchObject({
        webhook_id: expect.stringMatching(/^wh_[0-9a-z]+$/),
        name: 'CRM sync',
        url: 'http://127.0.0.1:9/crm',
        events: ['deal.won', 'task.*'],
        active: true,
        description: null,
        metadata: {},
        headers: {},
        timeout_ms: 10000,
        rate_limit_per_second: null,
        disabled_reason: null,
        created_at: expect.stringMatching(ISO),
        updated_at: expect.stringMatching(ISO),
        last_delivery: null,
        deliveries_count: 0,
        failures_count: 0,
        success_rate: null,
        secret: expect.stringMatching(GENERATED_SECRET),
      });
      expect(Buffer.from((data.secret as string).slice('whsec_'.length), 'base64')).toHaveLength(32);
      expect(Math.abs(Date.parse(data.created_at) - before)).toBeLessThan(10_000);
      expect(res.body.meta.trace_id).toEqual(expect.any(String));
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('POST /webhooks/register is the same creation, and keeps every given field and the given secret', async () => {
      const tenant = await createTenant(t.http);
      const body = {
        name: 'Registered',
        url: 'http://127.0.0.1:9/registered',
        events: ['*'],
        secret: 'my-own-secret-0123456789',
        active: true,
        description: 'sends everything',
        metadata: { team: 'sales', level: 2 },
        headers: { 'X-Tenant': 'acme' },
        timeout_ms: 5000,
        rate_limit_per_second: 7,
      };
      const res = await request(t.http).post('/api/v1/webhooks/register').set(tenant.auth).send(body).expect(201);
      expect(Object.keys(res.body.data)).toEqual(expect.arrayContaining([...CONTRACT_FIELDS, 'secret']));
      expect(res.body.data).toMatchObject({
        ...body,
        // header values are write-only (CONTRACT §8): answered masked, even at creation
        headers: { 'X-Tenant': '••••' },
        has_headers: true,
        webhook_id: expect.stringMatching(/^wh_/),
        disabled_reason: null,
        last_delivery: null,
        deliveries_count: 0,
        failures_count: 0,
        success_rate: null,
      });
      const got = await getWebhook(tenant, res.body.data.webhook_id);
      expect(got).toMatchObject({ name: 'Registered', timeout_ms: 5000, rate_limit_per_second: 7 });
    });

    it('creates an inactive subscription when active is false', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant, { active: false });
      expect(sub.active).toBe(false);
      expect((await getWebhook(tenant, sub.webhook_id)).active).toBe(false);
    });

    it('never shows the secret again: GET, list and PATCH answers carry no secret', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant, { secret: 'do-not-show-me-0123456789' });
      const generated = await createWebhook(tenant);
      const one = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
      const list = await request(t.http).get('/api/v1/webhooks').set(tenant.auth).expect(200);
      const patched = await request(t.http)
        .patch(`/api/v1/webhooks/${sub.webhook_id}`)
        .set(tenant.auth)
        .send({ name: 'renamed' })
        .expect(200);
      const toggled = await request(t.http)
        .post(`/api/v1/webhooks/${sub.webhook_id}/toggle`)
        .set(tenant.auth)
        .expect(200);
      for (const answer of [one.body.data, patched.body.data, toggled.body.data, ...list.body.data]) {
        expect(answer).not.toHaveProperty('secret');
        expect(answer).not.toHaveProperty('previous_secret');
        const text = JSON.stringify(answer);
        expect(text).not.toContain('do-not-show-me-0123456789');
        expect(text).not.toContain(generated.secret);
      }
    });
  });

  // ───────────────────────────── 2. validation ─────────────────────────────

  describe('validation of the create body', () => {
    const base = { name: 'v', url: NOWHERE, events: ['deal.won'] };
    const cases: [string, Record<string, unknown>, string | string[]][] = [
      ['missing name', { ...base, name: undefined }, 'name'],
      ['empty name', { ...base, name: '' }, 'name'],
      ['missing url', { ...base, url: undefined }, 'url'],
      ['a url that is not a URL', { ...base, url: 'not a url' }, 'url'],
      ['an ftp:// url', { ...base, url: 'ftp://127.0.0.1/hook' }, 'url'],
      ['missing events', { ...base, events: undefined }, 'events'],
      ['empty events', { ...base, events: [] }, 'events'],
      ['an upper-case pattern Deal.Won', { ...base, events: ['Deal.Won'] }, 'events'],
      ['a pattern with an empty segment a..b', { ...base, events: ['a..b'] }, 'events'],
      ['a leading wildcard *.x', { ...base, events: ['*.x'] }, 'events'],
      ['a secret shorter than 16 characters', { ...base, secret: 'short-secret' }, 'secret'],
      ['timeout_ms 999', { ...base, timeout_ms: 999 }, 'timeout_ms'],
      ['timeout_ms 30001', { ...base, timeout_ms: 30001 }, 'timeout_ms'],
      ['timeout_ms "abc"', { ...base, timeout_ms: 'abc' }, 'timeout_ms'],
      ['an unknown field', { ...base, color: 'red' }, 'color'],
      ['a reserved header X-Webhook-Signature', { ...base, headers: { 'X-Webhook-Signature': 'forged' } }, 'headers'],
      ['a header with a non-string value', { ...base, headers: { 'X-Count': 5 } }, 'headers'],
      [
        'a payload_template with a malformed placeholder',
        { ...base, payload_template: { text: '{{ data..x }}' } },
        'payload_template',
      ],
      [
        'a payload_template with an unknown root',
        { ...base, payload_template: { text: '{{secret.x}}' } },
        'payload_template',
      ],
      ['the unknown preset teams', { ...base, preset: 'teams' }, 'preset'],
      [
        'payload_template and preset together',
        { ...base, preset: 'slack', payload_template: { text: '{{event_type}}' } },
        ['preset', 'payload_template'],
      ],
      ['metadata that is an array', { ...base, metadata: ['a'] }, 'metadata'],
      ['metadata that is a string', { ...base, metadata: 'x' }, 'metadata'],
    ];

    let tenant: TestTenant;
    beforeAll(async () => {
      tenant = await createTenant(t.http);
    });

    it.each(cases)('refuses %s with 400 VALIDATION_FAILED naming the field', async (_label, body, field) => {
      const res = await request(t.http).post('/api/v1/webhooks').set(tenant.auth).send(body);
      expectInvalid(res, field);
      const alias = await request(t.http).post('/api/v1/webhooks/register').set(tenant.auth).send(body);
      expectInvalid(alias, field);
    });

    it('created nothing for the refused bodies', async () => {
      const res = await request(t.http).get('/api/v1/webhooks').set(tenant.auth).expect(200);
      expect(res.body.meta.pagination.total).toBe(0);
    });
  });

  describe('destination URL policy (ALLOW_HTTP_URLS, ALLOW_PRIVATE_URLS)', () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await createTenant(t.http);
    });

    const post = (app: TestApp, url: string) =>
      request(app.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: 'ssrf', url, events: ['deal.won'] });

    it('refuses an http url when ALLOW_HTTP_URLS is false (defaults)', async () => {
      expectInvalid(await post(strict, 'http://93.184.215.14/hook'), 'url');
      expectInvalid(await post(strict, 'http://hooks.example.invalid/hook'), 'url');
    });

    it('accepts a public https url with the defaults, and a public http url with ALLOW_HTTP_URLS', async () => {
      const res = await post(strict, 'https://93.184.215.14/hook');
      expect(res.status).toBe(201);
      expect(res.body.data.url).toBe('https://93.184.215.14/hook');
      expect((await post(httpOnly, 'http://93.184.215.14/hook')).status).toBe(201);
    });

    it.each([
      ['loopback 127.0.0.1', 'http://127.0.0.1/hook'],
      ['private 10.0.0.5', 'http://10.0.0.5/hook'],
      ['private 192.168.1.10', 'http://192.168.1.10/hook'],
      ['cloud metadata 169.254.169.254', 'http://169.254.169.254/latest/meta-data/'],
      ['IPv6 loopback [::1]', 'http://[::1]/hook'],
      ['localhost', 'http://localhost/hook'],
      ['IPv4-mapped IPv6 [::ffff:127.0.0.1]', 'http://[::ffff:127.0.0.1]/hook'],
      ['decimal 2130706433 (127.0.0.1)', 'http://2130706433/hook'],
      ['CGNAT 100.64.0.1', 'http://100.64.0.1/hook'],
      ['multicast 224.0.0.1', 'http://224.0.0.1/hook'],
      ['metadata.google.internal', 'http://metadata.google.internal/computeMetadata/v1/'],
    ])('refuses %s when ALLOW_PRIVATE_URLS is false', async (_label, url) => {
      expectInvalid(await post(httpOnly, url), 'url');
      expectInvalid(await post(strict, url.replace(/^http:/, 'https:')), 'url');
    });

    it('re-validates the url on PATCH', async () => {
      const created = await post(httpOnly, 'http://93.184.215.14/hook');
      expect(created.status).toBe(201);
      const id = created.body.data.webhook_id as string;
      const res = await request(httpOnly.http)
        .patch(`/api/v1/webhooks/${id}`)
        .set(tenant.auth)
        .send({ url: 'http://10.0.0.5/hook' });
      expectInvalid(res, 'url');
      const strictPatch = await request(strict.http)
        .patch(`/api/v1/webhooks/${id}`)
        .set(tenant.auth)
        .send({ url: 'http://93.184.215.14/other' });
      expectInvalid(strictPatch, 'url');
      const after = await request(httpOnly.http).get(`/api/v1/webhooks/${id}`).set(tenant.auth).expect(200);
      expect(after.body.data.url).toBe('http://93.184.215.14/hook');
    });
  });

  // ───────────────────────────── 3. list ─────────────────────────────

  describe('list', () => {
    let tenant: TestTenant;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      tenant = await createTenant(t.http);
      ids.exact = (await createWebhook(tenant, { name: 'exact', events: ['deal.won'] })).webhook_id;
      ids.prefix = (await createWebhook(tenant, { name: 'prefix', events: ['deal.*'], active: false })).webhook_id;
      ids.all = (await createWebhook(tenant, { name: 'all', events: ['*'] })).webhook_id;
      ids.task = (await createWebhook(tenant, { name: 'task', events: ['task.*'] })).webhook_id;
    });

    const list = async (query = '') => {
      const res = await request(t.http).get(`/api/v1/webhooks${query}`).set(tenant.auth);
      expect({ status: res.status, error: res.body.error }).toEqual({ status: 200, error: undefined });
      return res.body as Listed<{ webhook_id: string; [field: string]: unknown }>;
    };
    const idsOf = (items: { webhook_id: string }[]) => items.map((s) => s.webhook_id).sort();

    it('answers the items with their stats and meta.pagination {limit: 20, offset: 0, total} by default', async () => {
      const res = await list();
      expect(res.meta.pagination).toEqual({ limit: 20, offset: 0, total: 4 });
      expect(idsOf(res.data)).toEqual(Object.values(ids).sort());
      for (const item of res.data) {
        expect(Object.keys(item)).toEqual(expect.arrayContaining(CONTRACT_FIELDS));
        expect(item).toMatchObject({ deliveries_count: 0, failures_count: 0, success_rate: null, last_delivery: null });
        expect(item).not.toHaveProperty('secret');
      }
    });

    it('pages with limit and offset', async () => {
      const first = await list('?limit=2');
      expect(first.meta.pagination).toEqual({ limit: 2, offset: 0, total: 4 });
      expect(first.data).toHaveLength(2);
      const second = await list('?limit=2&offset=2');
      expect(second.meta.pagination).toEqual({ limit: 2, offset: 2, total: 4 });
      expect(second.data).toHaveLength(2);
      expect(idsOf([...first.data, ...second.data] as { webhook_id: string }[])).toEqual(Object.values(ids).sort());
      const beyond = await list('?offset=4');
      expect(beyond.meta.pagination).toEqual({ limit: 20, offset: 4, total: 4 });
      expect(beyond.data).toEqual([]);
      const max = await list('?limit=100');
      expect(max.meta.pagination.limit).toBe(100);
    });

    it.each([
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['active=yes', 'active'],
    ])('refuses ?%s with 400 VALIDATION_FAILED', async (query, field) => {
      expectInvalid(await request(t.http).get(`/api/v1/webhooks?${query}`).set(tenant.auth), field);
    });

    it('filters by active=true and active=false', async () => {
      const active = await list('?active=true');
      expect(idsOf(active.data)).toEqual([ids.exact, ids.all, ids.task].sort());
      expect(active.meta.pagination.total).toBe(3);
      const inactive = await list('?active=false');
      expect(idsOf(inactive.data)).toEqual([ids.prefix]);
      expect(inactive.meta.pagination.total).toBe(1);
    });

    it('filters by event: deal.won matches the exact, deal.* and * patterns, not task.*', async () => {
      const won = await list('?event=deal.won');
      expect(idsOf(won.data)).toEqual([ids.exact, ids.prefix, ids.all].sort());
      expect(won.meta.pagination.total).toBe(3);
      const task = await list('?event=task.created');
      expect(idsOf(task.data)).toEqual([ids.all, ids.task].sort());
      const both = await list('?event=deal.won&active=true');
      expect(idsOf(both.data)).toEqual([ids.exact, ids.all].sort());
      const paged = await list('?event=deal.won&limit=1&offset=1');
      expect(paged.meta.pagination).toEqual({ limit: 1, offset: 1, total: 3 });
      expect(paged.data).toHaveLength(1);
    });
  });

  // ───────────────────────────── 4. read, update, delete ─────────────────────────────

  describe('read, update, delete', () => {
    it('GET /webhooks/{id} answers the subscription', async () => {
      const tenant = await createTenant(t.http);
      const created = await createWebhook(tenant, { description: 'd', metadata: { a: 1 } });
      const got = await getWebhook(tenant, created.webhook_id);
      const { secret: _secret, ...withoutSecret } = created;
      expect(got).toEqual(withoutSecret);
    });

    it('GET /webhooks/{id} answers 404 NOT_FOUND for an unknown id', async () => {
      const tenant = await createTenant(t.http);
      const res = await request(t.http).get('/api/v1/webhooks/wh_doesnotexist').set(tenant.auth);
      expectNotFound(res);
    });

    it('PATCH changes only the given fields and moves updated_at', async () => {
      const tenant = await createTenant(t.http);
      const created = await createWebhook(tenant, {
        name: 'before',
        events: ['deal.won'],
        description: 'keep me',
        metadata: { keep: true },
        headers: { 'X-Keep': '1' },
        timeout_ms: 4000,
        rate_limit_per_second: 3,
      });
      await sleep(30);
      const res = await request(t.http)
        .patch(`/api/v1/webhooks/${created.webhook_id}`)
        .set(tenant.auth)
        .send({ name: 'after', timeout_ms: 6000 })
        .expect(200);
      const { secret: _secret, updated_at: _updated, ...rest } = created;
      expect(res.body.data).toEqual({
        ...rest,
        name: 'after',
        timeout_ms: 6000,
        updated_at: expect.stringMatching(ISO),
      });
      expect(Date.parse(res.body.data.updated_at)).toBeGreaterThan(Date.parse(created.updated_at));
      expect(res.body.data.created_at).toBe(created.created_at);
      expect(await getWebhook(tenant, created.webhook_id)).toEqual(res.body.data);

      const second = await request(t.http)
        .patch(`/api/v1/webhooks/${created.webhook_id}`)
        .set(tenant.auth)
        .send({ events: ['task.*', '*'], description: null, url: 'http://127.0.0.1:9/moved' })
        .expect(200);
      expect(second.body.data).toMatchObject({
        name: 'after',
        events: ['task.*', '*'],
        description: null,
        url: 'http://127.0.0.1:9/moved',
        metadata: { keep: true },
        headers: { 'X-Keep': '••••' },
        has_headers: true,
        timeout_ms: 6000,
        rate_limit_per_second: 3,
      });
    });

    it('PATCH validates what it is given: bad url, empty events, bad timeout, unknown field', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant);
      const patch = (body: Record<string, unknown>) =>
        request(t.http).patch(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).send(body);
      expectInvalid(await patch({ url: 'ftp://127.0.0.1/x' }), 'url');
      expectInvalid(await patch({ url: 'not a url' }), 'url');
      expectInvalid(await patch({ events: [] }), 'events');
      expectInvalid(await patch({ events: ['a..b'] }), 'events');
      expectInvalid(await patch({ timeout_ms: 30001 }), 'timeout_ms');
      expectInvalid(await patch({ secret: 'too-short' }), 'secret');
      expectInvalid(await patch({ name: '' }), 'name');
      expectInvalid(await patch({ headers: { 'webhook-id': 'x' } }), 'headers');
      expectInvalid(await patch({ color: 'red' }), 'color');
      expectInvalid(await patch({ payload_template: { text: '{{event_type}}' }, preset: 'slack' }), [
        'preset',
        'payload_template',
      ]);
      const after = await getWebhook(tenant, sub.webhook_id);
      const { secret: _secret, ...unchanged } = sub;
      expect(after).toEqual(unchanged);
    });

    it.each(['name', 'url', 'events', 'metadata', 'headers', 'timeout_ms', 'active', 'secret'])(
      'PATCH refuses %s: null with 400 VALIDATION_FAILED (not a server error) and changes nothing',
      async (field) => {
        const tenant = await createTenant(t.http);
        const sub = await createWebhook(tenant);
        const res = await request(t.http)
          .patch(`/api/v1/webhooks/${sub.webhook_id}`)
          .set(tenant.auth)
          .send({ [field]: null });
        expectInvalid(res, field);
        const { secret: _secret, ...unchanged } = sub;
        expect(await getWebhook(tenant, sub.webhook_id)).toEqual(unchanged);
      },
    );

    it('PATCH answers 404 NOT_FOUND for an unknown id', async () => {
      const tenant = await createTenant(t.http);
      expectNotFound(
        await request(t.http).patch('/api/v1/webhooks/wh_doesnotexist').set(tenant.auth).send({ name: 'x' }),
      );
    });

    it('PATCH of the secret signs the next deliveries with it and does not echo it', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const secret = 'patched-secret-0123456789';
      const res = await request(t.http)
        .patch(`/api/v1/webhooks/${sub.webhook_id}`)
        .set(tenant.auth)
        .send({ secret })
        .expect(200);
      expect(res.body.data).not.toHaveProperty('secret');
      expect(JSON.stringify(res.body)).not.toContain(secret);
      await publish(tenant, 'deal.won');
      const [req] = await receiver.waitForRequests(1);
      const ts = req.headers['x-webhook-timestamp'] as string;
      expect((req.headers['x-webhook-signature'] as string).split(' ')).toContain(
        hookhubSignature(secret, ts, req.body),
      );
      expect(() => verifyStandard(secret, req)).not.toThrow();
    });

    it('DELETE answers {webhook_id, status: "deleted"}; then GET is 404 and the list no longer shows it', async () => {
      const tenant = await createTenant(t.http);
      const keep = await createWebhook(tenant, { name: 'keep' });
      const gone = await createWebhook(tenant, { name: 'gone' });
      const res = await request(t.http).delete(`/api/v1/webhooks/${gone.webhook_id}`).set(tenant.auth).expect(200);
      expect(res.body.data).toEqual({ webhook_id: gone.webhook_id, status: 'deleted' });
      expectNotFound(await request(t.http).get(`/api/v1/webhooks/${gone.webhook_id}`).set(tenant.auth));
      const list = await request(t.http).get('/api/v1/webhooks').set(tenant.auth).expect(200);
      expect(list.body.data.map((s: { webhook_id: string }) => s.webhook_id)).toEqual([keep.webhook_id]);
      expect(list.body.meta.pagination.total).toBe(1);
      expectNotFound(await request(t.http).delete(`/api/v1/webhooks/${gone.webhook_id}`).set(tenant.auth));
      expectNotFound(
        await request(t.http).patch(`/api/v1/webhooks/${gone.webhook_id}`).set(tenant.auth).send({ name: 'x' }),
      );
      expectNotFound(await request(t.http).post(`/api/v1/webhooks/${gone.webhook_id}/toggle`).set(tenant.auth));
    });
  });

  // ───────────────────────────── 5. toggle and rotate-secret ─────────────────────────────

  describe('toggle and rotate-secret', () => {
    it('POST /webhooks/{id}/toggle flips active both ways', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant);
      const off = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/toggle`).set(tenant.auth);
      expect(off.status).toBe(200);
      expect(off.body.data).toMatchObject({ webhook_id: sub.webhook_id, active: false });
      expect(Object.keys(off.body.data)).toEqual(expect.arrayContaining(CONTRACT_FIELDS));
      expect((await getWebhook(tenant, sub.webhook_id)).active).toBe(false);
      const on = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/toggle`).set(tenant.auth);
      expect(on.status).toBe(200);
      expect(on.body.data).toMatchObject({ webhook_id: sub.webhook_id, active: true, disabled_reason: null });
      expect((await getWebhook(tenant, sub.webhook_id)).active).toBe(true);
    });

    it('POST /webhooks/{id}/rotate-secret answers a new secret and previous_secret_expires_at ≈ now + 24 h', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant);
      const res = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/rotate-secret`).set(tenant.auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        webhook_id: sub.webhook_id,
        secret: expect.stringMatching(GENERATED_SECRET),
        previous_secret_expires_at: expect.stringMatching(ISO),
      });
      expect(res.body.data.secret).not.toBe(sub.secret);
      const expires = Date.parse(res.body.data.previous_secret_expires_at);
      expect(Math.abs(expires - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
      const after = await getWebhook(tenant, sub.webhook_id);
      expect(after).not.toHaveProperty('secret');
      expect(JSON.stringify(after)).not.toContain(res.body.data.secret);
    });

    it('after a rotation a delivery carries two signatures in both schemes, one per secret', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const oldSecret = sub.secret as string;
      const rotated = await request(t.http)
        .post(`/api/v1/webhooks/${sub.webhook_id}/rotate-secret`)
        .set(tenant.auth)
        .expect(200);
      const newSecret = rotated.body.data.secret as string;

      const published = await publish(tenant, 'deal.won', { deal_id: 7 });
      const [req] = await receiver.waitForRequests(1);
      const ts = req.headers['x-webhook-timestamp'] as string;

      const hookhub = (req.headers['x-webhook-signature'] as string).split(' ');
      expect(hookhub).toHaveLength(2);
      hookhub.forEach((s) => expect(s).toMatch(/^sha256=[0-9a-f]{64}$/));
      expect(hookhub.sort()).toEqual(
        [hookhubSignature(oldSecret, ts, req.body), hookhubSignature(newSecret, ts, req.body)].sort(),
      );

      const standard = (req.headers['webhook-signature'] as string).split(' ');
      expect(standard).toHaveLength(2);
      standard.forEach((s) => expect(s).toMatch(/^v1,[A-Za-z0-9+/]+=*$/));
      expect(req.headers['webhook-id']).toBe(published.event_id);
      expect(standard.sort()).toEqual(
        [
          standardSignature(oldSecret, published.event_id, ts, req.body),
          standardSignature(newSecret, published.event_id, ts, req.body),
        ].sort(),
      );
      expect(verifyStandard(oldSecret, req)).toMatchObject({ event_id: published.event_id, data: { deal_id: 7 } });
      expect(verifyStandard(newSecret, req)).toMatchObject({ event_id: published.event_id, data: { deal_id: 7 } });
      expect(() => verifyStandard('whsec_' + Buffer.alloc(32, 1).toString('base64'), req)).toThrow();
    });
  });

  // ───────────────────────────── 6. disabled or deleted subscriptions ─────────────────────────────

  describe('toggle off and delete stop deliveries', () => {
    it('publishing to an inactive subscription matches nothing and sends nothing', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url() });
      await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/toggle`).set(tenant.auth).expect(200);
      const published = await publish(tenant, 'deal.won');
      expect(published.matched_webhooks).toBe(0);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(0);
      expect((await deliveryLog(tenant, sub.webhook_id)).meta.pagination.total).toBe(0);
    });

    it('publishing after a delete matches nothing and sends nothing', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url() });
      await request(t.http).delete(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
      const published = await publish(tenant, 'deal.won');
      expect(published.matched_webhooks).toBe(0);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(0);
    });

    it('toggling off cancels a retrying delivery and no further attempt arrives', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      receiver.reply = () => ({ status: 500, body: 'down' });
      const sub = await createWebhook(tenant, { url: receiver.url() });
      await publish(tenant, 'deal.won');
      await receiver.waitForRequests(1);
      const retrying = await catchRetrying(tenant, sub.webhook_id);
      await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/toggle`).set(tenant.auth).expect(200);
      const seen = receiver.requests.length;
      expect((await delivery(tenant, retrying.delivery_id)).status).toBe('cancelled');
      await sleep(1500);
      expect(receiver.requests.length).toBe(seen);
      expect(await delivery(tenant, retrying.delivery_id)).toMatchObject({
        status: 'cancelled',
        next_attempt_at: null,
      });
    });

    it('deleting cancels a retrying delivery and no further attempt arrives', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      receiver.reply = () => ({ status: 500, body: 'down' });
      const sub = await createWebhook(tenant, { url: receiver.url() });
      await publish(tenant, 'deal.won');
      await receiver.waitForRequests(1);
      const retrying = await catchRetrying(tenant, sub.webhook_id);
      await request(t.http).delete(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
      const seen = receiver.requests.length;
      await sleep(1500);
      expect(receiver.requests.length).toBe(seen);
      expect((await delivery(tenant, retrying.delivery_id)).status).toBe('cancelled');
    });
  });

  // ───────────────────────────── 7. events ─────────────────────────────

  describe('events', () => {
    it('POST /events answers 202 {event_id, event_type, matched_webhooks}', async () => {
      const tenant = await createTenant(t.http);
      await createWebhook(tenant);
      const res = await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .send({ event_type: 'deal.won', data: { deal_id: 1 } })
        .expect(202);
      expect(res.body.data).toEqual({
        event_id: expect.stringMatching(/^evt_/),
        event_type: 'deal.won',
        matched_webhooks: 1,
      });
    });

    it('fans out by pattern: deal.won reaches deal.won, deal.* and *, not task.*', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      for (const [path, events] of [
        ['/exact', ['deal.won']],
        ['/prefix', ['deal.*']],
        ['/all', ['*']],
        ['/task', ['task.*']],
      ] as const) {
        await createWebhook(tenant, { url: receiver.url(path), events: [...events] });
      }
      expect((await publish(tenant, 'deal.won')).matched_webhooks).toBe(3);
      await receiver.waitForRequests(3);
      await sleep(500);
      expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/all', '/exact', '/prefix']);
      expect((await publish(tenant, 'task.created')).matched_webhooks).toBe(2);
      expect((await publish(tenant, 'contact.created')).matched_webhooks).toBe(1);
    });

    it('the same idempotency_key in the body answers the first event and delivers nothing new', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const send = (data: Record<string, unknown>) =>
        request(t.http)
          .post('/api/v1/events')
          .set(tenant.auth)
          .send({ event_type: 'deal.won', data, idempotency_key: 'order-42' });
      const first = await send({ n: 1 });
      expect(first.status).toBe(202);
      await receiver.waitForRequests(1);
      const second = await send({ n: 2 });
      expect(second.status).toBe(202);
      expect(second.body.data).toEqual(first.body.data);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(1);
      expect((await deliveryLog(tenant, sub.webhook_id)).meta.pagination.total).toBe(1);
      const event = await request(t.http).get(`/api/v1/events/${first.body.data.event_id}`).set(tenant.auth);
      expect(event.body.data.data).toEqual({ n: 1 });
    });

    it('the Idempotency-Key header works the same, and matches the same key given in the body', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      await createWebhook(tenant, { url: receiver.url() });
      const viaHeader = () =>
        request(t.http)
          .post('/api/v1/events')
          .set(tenant.auth)
          .set('Idempotency-Key', 'hdr-1')
          .send({ event_type: 'deal.won', data: { n: 1 } });
      const first = await viaHeader();
      expect(first.status).toBe(202);
      await receiver.waitForRequests(1);
      const second = await viaHeader();
      expect(second.status).toBe(202);
      expect(second.body.data.event_id).toBe(first.body.data.event_id);
      const viaBody = await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .send({ event_type: 'deal.won', data: { n: 1 }, idempotency_key: 'hdr-1' });
      expect(viaBody.status).toBe(202);
      expect(viaBody.body.data.event_id).toBe(first.body.data.event_id);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(1);
    });

    it('concurrent publishes with one idempotency key make one event and one delivery', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      await createWebhook(tenant, { url: receiver.url() });
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          request(t.http)
            .post('/api/v1/events')
            .set(tenant.auth)
            .send({ event_type: 'deal.won', data: { n: 1 }, idempotency_key: 'race-1' }),
        ),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(6).fill(202));
      expect(new Set(answers.map((r) => r.body.data.event_id as string)).size).toBe(1);
      await receiver.waitForRequests(1);
      await sleep(1000);
      expect(receiver.requests).toHaveLength(1);
    });

    it("carries the publishing request's X-Request-ID into the delivery", async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      await createWebhook(tenant, { url: receiver.url() });
      await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .set('X-Request-ID', 'trace-publish-77')
        .send({ event_type: 'deal.won', data: {} })
        .expect(202)
        .expect('X-Request-ID', 'trace-publish-77');
      const [req] = await receiver.waitForRequests(1);
      expect(req.headers['x-request-id']).toBe('trace-publish-77');
    });

    it('answers 409 CONFLICT when the Idempotency-Key header and the body key differ', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      await createWebhook(tenant, { url: receiver.url() });
      const res = await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .set('Idempotency-Key', 'one')
        .send({ event_type: 'deal.won', data: {}, idempotency_key: 'two' });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
      await sleep(500);
      expect(receiver.requests).toHaveLength(0);
    });

    it.each([
      ['an upper-case event_type', { event_type: 'Deal.Won', data: {} }, 'event_type'],
      ['an event_type with an empty segment', { event_type: 'deal..won', data: {} }, 'event_type'],
      ['a wildcard event_type', { event_type: 'deal.*', data: {} }, 'event_type'],
      ['a missing event_type', { data: {} }, 'event_type'],
      ['missing data', { event_type: 'deal.won' }, 'data'],
      ['data that is an array', { event_type: 'deal.won', data: [1, 2] }, 'data'],
      ['data that is a string', { event_type: 'deal.won', data: 'x' }, 'data'],
      ['metadata that is an array', { event_type: 'deal.won', data: {}, metadata: [] }, 'metadata'],
      ['an unknown field', { event_type: 'deal.won', data: {}, extra: 1 }, 'extra'],
    ])('POST /events refuses %s with 400 VALIDATION_FAILED', async (_label, body, field) => {
      const tenant = await createTenant(t.http);
      expectInvalid(await request(t.http).post('/api/v1/events').set(tenant.auth).send(body), field);
    });

    it('GET /events/{id} shows the data, the metadata and the deliveries', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const res = await request(t.http)
        .post('/api/v1/events')
        .set(tenant.auth)
        .send({ event_type: 'deal.won', data: { deal_id: 9, amount: '10.00' }, metadata: { source: 'crm' } })
        .expect(202);
      const eventId = res.body.data.event_id as string;
      const shown = await eventually(async () => {
        const got = await request(t.http).get(`/api/v1/events/${eventId}`).set(tenant.auth).expect(200);
        return got.body.data.deliveries[0]?.status === 'success' ? got.body.data : undefined;
      });
      expect(shown).toMatchObject({
        event_id: eventId,
        event_type: 'deal.won',
        data: { deal_id: 9, amount: '10.00' },
        metadata: { source: 'crm' },
        created_at: expect.stringMatching(ISO),
      });
      expect(shown.deliveries).toEqual([
        expect.objectContaining({
          delivery_id: expect.stringMatching(/^dlv_/),
          webhook_id: sub.webhook_id,
          status: 'success',
          attempt: 1,
          http_status: 200,
        }),
      ]);
      const [req] = await receiver.waitForRequests(1);
      expect(JSON.parse(req.body)).toMatchObject({ event_id: eventId, metadata: { source: 'crm' } });
      expectNotFound(await request(t.http).get('/api/v1/events/evt_doesnotexist').set(tenant.auth));
    });

    it('GET /event-types lists the catalogue with webhook.test, and deal.won becomes seen once published', async () => {
      const tenant = await createTenant(t.http);
      const types = async () => {
        const res = await request(t.http).get('/api/v1/event-types').set(tenant.auth).expect(200);
        expect(Array.isArray(res.body.data)).toBe(true);
        return res.body.data as { event_type: string; seen: boolean }[];
      };
      const before = await types();
      expect(before).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ event_type: 'webhook.test' }),
          expect.objectContaining({ event_type: 'deal.won', seen: false }),
        ]),
      );
      await publish(tenant, 'deal.won');
      await publish(tenant, 'acme.custom_thing');
      const after = await types();
      expect(after.find((x) => x.event_type === 'deal.won')).toMatchObject({ seen: true });
      expect(after.find((x) => x.event_type === 'acme.custom_thing')).toMatchObject({ seen: true });
    });
  });

  // ───────────────────────────── 8. test endpoint ─────────────────────────────

  describe('POST /webhooks/{id}/test', () => {
    it('sends webhook.test now and answers the attempt: 200 receiver → success', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      receiver.reply = () => ({ status: 200, body: 'pong' });
      const sub = await createWebhook(tenant, { url: receiver.url(), events: ['deal.won'] });
      const res = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        delivery_id: expect.stringMatching(/^dlv_/),
        event_id: expect.stringMatching(/^evt_/),
        success: true,
        http_status: 200,
        response_time_ms: expect.any(Number),
        error: null,
        response_body: 'pong',
      });
      expect(receiver.requests).toHaveLength(1);
      const [req] = receiver.requests;
      expect(req.headers['x-webhook-event']).toBe('webhook.test');
      expect(JSON.parse(req.body)).toMatchObject({
        webhook_id: sub.webhook_id,
        event_id: res.body.data.event_id,
        event_type: 'webhook.test',
      });
      expect(req.headers['x-delivery-id']).toBe(res.body.data.delivery_id);
      const ts = req.headers['x-webhook-timestamp'] as string;
      expect(req.headers['x-webhook-signature']).toBe(hookhubSignature(sub.secret, ts, req.body));
      expect(() => verifyStandard(sub.secret, req)).not.toThrow();
      const stats = await getWebhook(tenant, sub.webhook_id);
      expect(stats).toMatchObject({ deliveries_count: 1, failures_count: 0, success_rate: 100 });
      expect(stats.last_delivery).toMatchObject({
        status: 'success',
        http_status: 200,
        at: expect.stringMatching(ISO),
      });
      const listed = await request(t.http).get('/api/v1/webhooks').set(tenant.auth).expect(200);
      expect(listed.body.data[0]).toMatchObject({ deliveries_count: 1, success_rate: 100 });
    });

    it('answers success false and http_status 500 for a 500 receiver, and never retries it', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      receiver.reply = () => ({ status: 500, body: 'broken' });
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const res = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({
        delivery_id: expect.stringMatching(/^dlv_/),
        event_id: expect.stringMatching(/^evt_/),
        success: false,
        http_status: 500,
        response_time_ms: expect.any(Number),
        error: expect.any(String),
        response_body: 'broken',
      });
      await sleep(1500);
      expect(receiver.requests).toHaveLength(1);
      expect(await delivery(tenant, res.body.data.delivery_id)).toMatchObject({ attempt: 1, http_status: 500 });
    });

    it('answers success false, http_status null and an error when nothing listens', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant, { url: NOWHERE });
      const res = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth);
      expect(res.status).toBe(200);
      expect(res.body.data).toMatchObject({
        delivery_id: expect.stringMatching(/^dlv_/),
        success: false,
        http_status: null,
        error: expect.any(String),
      });
      expect(res.body.data.error).not.toBe('');
    });

    it('sends now and answers the real result even within rate_limit_per_second; nothing arrives afterwards', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const sub = await createWebhook(tenant, { url: receiver.url(), rate_limit_per_second: 1 });
      await sleep(1000 - (Date.now() % 1000) + 20); // both calls within one wall-clock second
      const first = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth);
      const second = await request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/test`).set(tenant.auth);
      const answeredAt = receiver.requests.length;
      await sleep(2500);
      expect({
        first: [first.status, first.body.data.success, first.body.data.http_status],
        second: [second.status, second.body.data.success, second.body.data.http_status, second.body.data.error],
        receivedWhenAnswered: answeredAt,
        receivedLater: receiver.requests.length - answeredAt,
      }).toEqual({
        first: [200, true, 200],
        second: [200, true, 200, null],
        receivedWhenAnswered: 2,
        receivedLater: 0,
      });
    });

    it('answers 404 NOT_FOUND for an unknown webhook', async () => {
      const tenant = await createTenant(t.http);
      expectNotFound(await request(t.http).post('/api/v1/webhooks/wh_doesnotexist/test').set(tenant.auth));
    });
  });

  // ───────────────────────────── 9. retry and recover ─────────────────────────────

  describe('manual retry and recover', () => {
    it('retries a dead delivery as a new delivery that succeeds', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      let healthy = false;
      receiver.reply = () => (healthy ? { status: 200, body: 'ok' } : { status: 500, body: 'down' });
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const published = await publish(tenant, 'deal.won');
      const [dead] = await waitForStatus(tenant, sub.webhook_id, 'dead');
      expect(receiver.requests).toHaveLength(3);
      healthy = true;

      const res = await request(t.http).post(`/api/v1/webhooks/deliveries/${dead.delivery_id}/retry`).set(tenant.auth);
      expect(res.status).toBe(202);
      expect(res.body.data).toEqual({
        delivery_id: expect.stringMatching(/^dlv_/),
        original_delivery_id: dead.delivery_id,
        status: 'queued',
        attempt: 1,
        scheduled_for: expect.stringMatching(ISO),
      });
      expect(res.body.data.delivery_id).not.toBe(dead.delivery_id);
      expect(Math.abs(Date.parse(res.body.data.scheduled_for) - Date.now())).toBeLessThan(10_000);

      const copyId = res.body.data.delivery_id as string;
      const done = await eventually(async () => {
        const d = await delivery(tenant, copyId);
        return d.status === 'success' ? d : undefined;
      });
      expect(done).toMatchObject({
        webhook_id: sub.webhook_id,
        event_id: published.event_id,
        original_delivery_id: dead.delivery_id,
        attempt: 1,
        http_status: 200,
      });
      expect(receiver.requests).toHaveLength(4);
      expect(receiver.requests[3].headers['x-delivery-id']).toBe(copyId);
      expect(JSON.parse(receiver.requests[3].body)).toMatchObject({ event_id: published.event_id });
      expect((await delivery(tenant, dead.delivery_id)).status).toBe('dead');
    });

    it('answers 409 CONFLICT when retrying a delivery still in progress', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      receiver.reply = () => ({ status: 200, delayMs: 3000 });
      const sub = await createWebhook(tenant, { url: receiver.url() });
      await publish(tenant, 'deal.won');
      await receiver.waitForRequests(1);
      const [inFlight] = (await deliveryLog(tenant, sub.webhook_id)).data;
      expect(inFlight.status).toBe('sending');
      const res = await request(t.http)
        .post(`/api/v1/webhooks/deliveries/${inFlight.delivery_id}/retry`)
        .set(tenant.auth);
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('CONFLICT');
      await waitForStatus(tenant, sub.webhook_id, 'success');
      expect((await deliveryLog(tenant, sub.webhook_id)).meta.pagination.total).toBe(1);
    });

    it('answers 404 NOT_FOUND when retrying an unknown delivery', async () => {
      const tenant = await createTenant(t.http);
      expectNotFound(await request(t.http).post('/api/v1/webhooks/deliveries/dlv_doesnotexist/retry').set(tenant.auth));
    });

    it('recover {since} re-queues every dead delivery since then → 202 {queued: n}, and they all succeed', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      let healthy = false;
      receiver.reply = () => (healthy ? { status: 200, body: 'ok' } : { status: 500, body: 'down' });
      const sub = await createWebhook(tenant, { url: receiver.url() });
      const since = new Date(Date.now() - 1000).toISOString();
      const events = [];
      for (let i = 0; i < 3; i++) events.push((await publish(tenant, 'deal.won', { n: i })).event_id);
      await waitForStatus(tenant, sub.webhook_id, 'dead', 3);
      healthy = true;
      const seen = receiver.requests.length;

      const res = await request(t.http)
        .post(`/api/v1/webhooks/${sub.webhook_id}/recover`)
        .set(tenant.auth)
        .send({ since });
      expect(res.status).toBe(202);
      expect(res.body.data).toEqual({ queued: 3 });

      const succeeded = await waitForStatus(tenant, sub.webhook_id, 'success', 3);
      expect(succeeded.map((d) => d.event_id).sort()).toEqual([...events].sort());
      succeeded.forEach((d) => expect(d.original_delivery_id).toMatch(/^dlv_/));
      expect(receiver.requests.length).toBe(seen + 3);
      expect((await deliveryLog(tenant, sub.webhook_id, '?status=dead')).meta.pagination.total).toBe(3);

      const again = await request(t.http)
        .post(`/api/v1/webhooks/${sub.webhook_id}/recover`)
        .set(tenant.auth)
        .send({ since });
      expect(again.status).toBe(202);
      expect(again.body.data).toEqual({ queued: 0 });
    });

    it('recover refuses a bad since with 400 and takes a missing one as 24 h ago', async () => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant);
      const recover = (body: Record<string, unknown>) =>
        request(t.http).post(`/api/v1/webhooks/${sub.webhook_id}/recover`).set(tenant.auth).send(body);
      expectInvalid(await recover({ since: 'yesterday' }), 'since');
      expectInvalid(await recover({ since: '2025-13-45T99:00:00Z' }), 'since');
      expectInvalid(await recover({ since: new Date().toISOString(), extra: 1 }), 'extra');
      const defaulted = await recover({});
      expect({ status: defaulted.status, data: defaulted.body.data }).toEqual({ status: 202, data: { queued: 0 } });
    });
  });

  // ───────────────────────────── 10. delivery log ─────────────────────────────

  describe('delivery log', () => {
    it('filters by status, event_type, since/until and pages with meta.pagination', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      receiver.reply = (req) =>
        JSON.parse(req.body).event_type === 'task.created' ? { status: 500, body: 'no' } : { status: 200 };
      const sub = await createWebhook(tenant, { url: receiver.url(), events: ['*'] });
      await publish(tenant, 'deal.won', { n: 1 });
      await waitForStatus(tenant, sub.webhook_id, 'success', 1);
      await sleep(150);
      const middle = new Date().toISOString();
      await sleep(150);
      await publish(tenant, 'deal.won', { n: 2 });
      await publish(tenant, 'task.created', { n: 3 });
      await waitForStatus(tenant, sub.webhook_id, 'success', 2);
      await waitForStatus(tenant, sub.webhook_id, 'dead', 1);

      const all = await deliveryLog(tenant, sub.webhook_id);
      expect(all.meta.pagination).toEqual({ limit: 20, offset: 0, total: 3 });
      expect(all.data[0]).toMatchObject({
        delivery_id: expect.stringMatching(/^dlv_/),
        webhook_id: sub.webhook_id,
        event_id: expect.stringMatching(/^evt_/),
        event_type: expect.any(String),
        status: expect.any(String),
        attempt: expect.any(Number),
        created_at: expect.stringMatching(ISO),
      });

      const success = await deliveryLog(tenant, sub.webhook_id, '?status=success');
      expect(success.meta.pagination.total).toBe(2);
      expect(success.data.every((d) => d.status === 'success' && d.event_type === 'deal.won')).toBe(true);
      const dead = await deliveryLog(tenant, sub.webhook_id, '?status=dead');
      expect(dead.data.map((d) => [d.event_type, d.attempt, d.http_status])).toEqual([['task.created', 3, 500]]);
      expect((await deliveryLog(tenant, sub.webhook_id, '?status=retrying')).data).toEqual([]);

      const won = await deliveryLog(tenant, sub.webhook_id, '?event_type=deal.won');
      expect(won.meta.pagination.total).toBe(2);
      const tasks = await deliveryLog(tenant, sub.webhook_id, '?event_type=task.created');
      expect(tasks.data.map((d) => d.event_type)).toEqual(['task.created']);

      const later = await deliveryLog(tenant, sub.webhook_id, `?since=${encodeURIComponent(middle)}`);
      expect(later.meta.pagination.total).toBe(2);
      const earlier = await deliveryLog(tenant, sub.webhook_id, `?until=${encodeURIComponent(middle)}`);
      expect(earlier.meta.pagination.total).toBe(1);
      expect(earlier.data[0].event_type).toBe('deal.won');
      const window = await deliveryLog(
        tenant,
        sub.webhook_id,
        `?since=${encodeURIComponent(middle)}&event_type=deal.won&status=success`,
      );
      expect(window.meta.pagination.total).toBe(1);

      const page1 = await deliveryLog(tenant, sub.webhook_id, '?limit=2');
      expect(page1.meta.pagination).toEqual({ limit: 2, offset: 0, total: 3 });
      expect(page1.data).toHaveLength(2);
      const page2 = await deliveryLog(tenant, sub.webhook_id, '?limit=2&offset=2');
      expect(page2.meta.pagination).toEqual({ limit: 2, offset: 2, total: 3 });
      expect(page2.data).toHaveLength(1);
      expect(new Set([...page1.data, ...page2.data].map((d) => d.delivery_id)).size).toBe(3);
    });

    it.each([
      ['status=bogus', 'status'],
      ['since=yesterday', 'since'],
      ['until=not-a-date', 'until'],
      ['limit=101', 'limit'],
      ['offset=-1', 'offset'],
    ])('refuses ?%s with 400 VALIDATION_FAILED', async (query, field) => {
      const tenant = await createTenant(t.http);
      const sub = await createWebhook(tenant);
      expectInvalid(
        await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}/deliveries?${query}`).set(tenant.auth),
        field,
      );
    });

    it('GET /webhooks/{id}/deliveries answers 404 NOT_FOUND for an unknown webhook', async () => {
      const tenant = await createTenant(t.http);
      expectNotFound(await request(t.http).get('/api/v1/webhooks/wh_doesnotexist/deliveries').set(tenant.auth));
    });

    it('GET /webhooks/deliveries/{id} shows the attempts with request headers and body and the response (cut at 4 KiB)', async () => {
      const tenant = await createTenant(t.http);
      const receiver = await newReceiver();
      const big = 'x'.repeat(10_000);
      receiver.reply = (_req, i) =>
        i === 0 ? { status: 503, body: 'busy' } : { status: 200, body: big, headers: { 'X-Reply': 'yes' } };
      const sub = await createWebhook(tenant, { url: receiver.url(), headers: { 'X-Tenant': 'acme' } });
      const published = await publish(tenant, 'deal.won', { deal_id: 5 });
      const [done] = await waitForStatus(tenant, sub.webhook_id, 'success');
      const [first, second] = await receiver.waitForRequests(2);

      const detail = await delivery(tenant, done.delivery_id);
      expect(detail).toMatchObject({
        delivery_id: done.delivery_id,
        webhook_id: sub.webhook_id,
        event_id: published.event_id,
        event_type: 'deal.won',
        status: 'success',
        attempt: 2,
        http_status: 200,
      });
      expect(detail.attempts).toHaveLength(2);
      expect(detail.attempts[0]).toMatchObject({
        attempt: 1,
        success: false,
        http_status: 503,
        response_time_ms: expect.any(Number),
        error: expect.any(String),
        request: { url: receiver.url(), body: first.body },
        response: { status: 503, body: 'busy' },
      });
      expect(detail.attempts[1]).toMatchObject({
        attempt: 2,
        success: true,
        http_status: 200,
        error: null,
        request: { url: receiver.url(), body: second.body },
        response: { status: 200 },
      });
      const headers = detail.attempts[1].request.headers as Record<string, string>;
      const sent = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
      expect(sent).toMatchObject({
        'content-type': 'application/json',
        'x-webhook-id': sub.webhook_id,
        'x-webhook-event': 'deal.won',
        'x-event-id': published.event_id,
        'x-delivery-id': done.delivery_id,
        'x-delivery-attempt': '2',
        'x-webhook-signature': second.headers['x-webhook-signature'],
        'webhook-signature': second.headers['webhook-signature'],
        // the endpoint's own headers were sent, and are logged by name only: their values are secrets
        'x-tenant': '[redacted]',
      });
      expect(second.headers['x-tenant']).toBe('acme');
      const responseHeaders = detail.attempts[1].response.headers as Record<string, string>;
      expect(responseHeaders['x-reply']).toBe('yes');
      const body = detail.attempts[1].response.body as string;
      expect(body.length).toBeGreaterThanOrEqual(4000);
      expect(body.length).toBeLessThanOrEqual(4096);
      expect(big.startsWith(body)).toBe(true);
      expect(detail.request).toMatchObject({ body: second.body });
      expect(detail.response).toMatchObject({ status: 200 });
    });

    it('GET /webhooks/deliveries/{id} answers 404 NOT_FOUND for an unknown delivery', async () => {
      const tenant = await createTenant(t.http);
      expectNotFound(await request(t.http).get('/api/v1/webhooks/deliveries/dlv_doesnotexist').set(tenant.auth));
    });
  });

  // ───────────────────────────── 11. tenant isolation ─────────────────────────────

  describe('tenant isolation', () => {
    let a: TestTenant;
    let b: TestTenant;
    let receiverA: Receiver;
    let webhookA: { webhook_id: string; secret: string };
    let eventA: string;
    let deliveryA: string;

    beforeAll(async () => {
      a = await createTenant(t.http, 'Tenant A');
      b = await createTenant(t.http, 'Tenant B');
      receiverA = await new Receiver().start();
      webhookA = await createWebhook(a, { name: 'A only', url: receiverA.url(), events: ['deal.won'] });
      const published = await publish(a, 'deal.won', { secret_of_a: 'classified' });
      eventA = published.event_id;
      const [done] = await waitForStatus(a, webhookA.webhook_id, 'success');
      deliveryA = done.delivery_id;
    });

    afterAll(async () => {
      await receiverA?.stop();
    });

    const routes: [string, (http: App) => request.Test][] = [
      ['GET /webhooks/{id}', (http) => request(http).get(`/api/v1/webhooks/${webhookA.webhook_id}`)],
      [
        'PATCH /webhooks/{id}',
        (http) => request(http).patch(`/api/v1/webhooks/${webhookA.webhook_id}`).send({ name: 'hijacked' }),
      ],
      ['DELETE /webhooks/{id}', (http) => request(http).delete(`/api/v1/webhooks/${webhookA.webhook_id}`)],
      ['POST /webhooks/{id}/toggle', (http) => request(http).post(`/api/v1/webhooks/${webhookA.webhook_id}/toggle`)],
      ['POST /webhooks/{id}/test', (http) => request(http).post(`/api/v1/webhooks/${webhookA.webhook_id}/test`)],
      [
        'POST /webhooks/{id}/rotate-secret',
        (http) => request(http).post(`/api/v1/webhooks/${webhookA.webhook_id}/rotate-secret`),
      ],
      [
        'GET /webhooks/{id}/deliveries',
        (http) => request(http).get(`/api/v1/webhooks/${webhookA.webhook_id}/deliveries`),
      ],
      [
        'POST /webhooks/{id}/recover',
        (http) =>
          request(http).post(`/api/v1/webhooks/${webhookA.webhook_id}/recover`).send({ since: '2000-01-01T00:00:00Z' }),
      ],
      ['GET /webhooks/deliveries/{id}', (http) => request(http).get(`/api/v1/webhooks/deliveries/${deliveryA}`)],
      [
        'POST /webhooks/deliveries/{id}/retry',
        (http) => request(http).post(`/api/v1/webhooks/deliveries/${deliveryA}/retry`),
      ],
      ['GET /events/{id}', (http) => request(http).get(`/api/v1/events/${eventA}`)],
    ];

    it.each(routes)("tenant B gets 404 NOT_FOUND on %s for tenant A's resource", async (_route, call) => {
      const res = await call(t.http).set(b.auth);
      expectNotFound(res);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain('classified');
      expect(text).not.toContain(receiverA.url());
    });

    it("tenant A's resources are untouched by B's calls", async () => {
      const sub = await getWebhook(a, webhookA.webhook_id);
      expect(sub).toMatchObject({ name: 'A only', active: true, url: receiverA.url() });
      expect(receiverA.requests).toHaveLength(1); // no test event, no retry
      const log = await deliveryLog(a, webhookA.webhook_id);
      expect(log.meta.pagination.total).toBe(1);
      expect((await delivery(a, deliveryA)).status).toBe('success');
      // the secret was not rotated: a new delivery is signed by the original secret alone
      await publish(a, 'deal.won');
      const [, req] = await receiverA.waitForRequests(2);
      const ts = req.headers['x-webhook-timestamp'] as string;
      expect(req.headers['x-webhook-signature']).toBe(hookhubSignature(webhookA.secret, ts, req.body));
    });

    it("tenant B's list does not show A's subscription", async () => {
      const own = await createWebhook(b, { name: 'B only' });
      const res = await request(t.http).get('/api/v1/webhooks').set(b.auth).expect(200);
      expect(res.body.data.map((s: { webhook_id: string }) => s.webhook_id)).toEqual([own.webhook_id]);
      expect(res.body.meta.pagination.total).toBe(1);
      const filtered = await request(t.http).get('/api/v1/webhooks?event=deal.won').set(b.auth).expect(200);
      expect(filtered.body.data.map((s: { webhook_id: string }) => s.webhook_id)).toEqual([own.webhook_id]);
    });

    it("publishing as B does not reach A's subscription", async () => {
      const before = receiverA.requests.length;
      const ownOfB = await request(t.http).get('/api/v1/webhooks?event=deal.won&active=true').set(b.auth).expect(200);
      const published = await publish(b, 'deal.won');
      expect(published.matched_webhooks).toBe(ownOfB.body.meta.pagination.total);
      const event = await request(t.http).get(`/api/v1/events/${published.event_id}`).set(b.auth).expect(200);
      expect(event.body.data.deliveries.map((d: { webhook_id: string }) => d.webhook_id)).not.toContain(
        webhookA.webhook_id,
      );
      await sleep(1000);
      expect(receiverA.requests.length).toBe(before);
      expect((await deliveryLog(a, webhookA.webhook_id)).data.map((d) => d.event_id)).not.toContain(published.event_id);
    });

    it("an idempotency key is scoped to its tenant: B's same key makes a new event", async () => {
      const send = (who: TestTenant) =>
        request(t.http)
          .post('/api/v1/events')
          .set(who.auth)
          .send({ event_type: 'deal.lost', data: {}, idempotency_key: 'shared-key-1' })
          .expect(202);
      const fromA = await send(a);
      const fromB = await send(b);
      expect(fromB.body.data.event_id).not.toBe(fromA.body.data.event_id);
      expectNotFound(await request(t.http).get(`/api/v1/events/${fromA.body.data.event_id}`).set(b.auth));
    });

    it("tenant B's event types do not show types only A published", async () => {
      await publish(a, 'acme.secret_pipeline');
      const res = await request(t.http).get('/api/v1/event-types').set(b.auth).expect(200);
      expect(res.body.data.map((x: { event_type: string }) => x.event_type)).not.toContain('acme.secret_pipeline');
    });
  });

  // ───────────────────────────── 12. OpenAPI ─────────────────────────────

  describe('OpenAPI document', () => {
    const expected: [string, string, string][] = [
      ['/api/v1/webhooks', 'post', 'webhooks'],
      ['/api/v1/webhooks', 'get', 'webhooks'],
      ['/api/v1/webhooks/register', 'post', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}', 'get', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}', 'patch', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}', 'delete', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}/toggle', 'post', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}/test', 'post', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}/rotate-secret', 'post', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}/deliveries', 'get', 'webhooks'],
      ['/api/v1/webhooks/{webhook_id}/recover', 'post', 'webhooks'],
      ['/api/v1/webhooks/deliveries/{delivery_id}', 'get', 'webhooks'],
      ['/api/v1/webhooks/deliveries/{delivery_id}/retry', 'post', 'webhooks'],
      ['/api/v1/deliveries', 'get', 'webhooks'],
      ['/api/v1/deliveries/{delivery_id}', 'get', 'webhooks'],
      ['/api/v1/deliveries/retry', 'post', 'webhooks'],
      ['/api/v1/events', 'post', 'events'],
      ['/api/v1/events/{event_id}', 'get', 'events'],
      ['/api/v1/event-types', 'get', 'events'],
    ];

    it('/docs-json lists every webhooks and events route with its tag', async () => {
      const res = await request(t.http).get('/docs-json').expect(200);
      const paths = res.body.paths as Record<string, Record<string, { tags?: string[] }>>;
      const listed = expected.map(([path, method]) => [path, method, paths[path]?.[method]?.tags ?? null]);
      expect(listed).toEqual(expected.map(([path, method, tag]) => [path, method, [tag]]));
      expect(res.body.tags.map((x: { name: string }) => x.name)).toEqual(
        expect.arrayContaining(['webhooks', 'events']),
      );
    });
  });
});
