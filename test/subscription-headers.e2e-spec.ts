import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { SecretBox } from '../src/common/secret-box';
import { SubscriptionsService } from '../src/subscriptions/subscriptions.service';
import { createTenant, startApp, startWorker, TestApp, TestTenant } from './helpers/app';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

/**
 * A subscription's extra headers are write-only secrets (issue #17, docs/api.md): sealed at rest
 * with ENCRYPTION_KEY, answered masked, sent as given; PATCH keeps what it does not name. Rows
 * written before sealing keep working and are sealed on their next write or at start-up.
 */

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms',
  SWEEP_INTERVAL: '500ms',
};

const SEALED = /^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

describe('Subscription headers are write-only (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let receiver: Receiver;
  let tenant: TestTenant;
  /** Every answer of this spec, to check that no header value ever shows. */
  const answers: string[] = [];

  beforeAll(async () => {
    t = await startApp(ENV);
    db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    receiver = await new Receiver().start();
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await receiver?.stop();
    await db?.end();
    await t?.close();
  });

  const secret = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;

  async function call(method: 'get' | 'post' | 'patch', path: string, body?: unknown) {
    const res = await request(t.http)
      [method](path)
      .set(tenant.auth)
      .send(body as object);
    answers.push(res.text);
    return res;
  }

  async function createWebhook(headers: Record<string, string>, path: string) {
    const res = await call('post', '/api/v1/webhooks', {
      name: path,
      url: receiver.url(path),
      events: ['hdr.*'],
      headers,
    });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
    return res.body.data as { webhook_id: string; headers: Record<string, string>; has_headers: boolean };
  }

  async function storedHeaders(webhookId: string): Promise<Record<string, string>> {
    const res = await db.query<{ headers: Record<string, string> }>('SELECT headers FROM subscriptions WHERE id = $1', [
      webhookId,
    ]);
    return res.rows[0].headers;
  }

  /** Publishes one event and returns the request the receiver got on `path` for it. */
  async function deliveredTo(path: string): Promise<ReceivedRequest> {
    const published = await call('post', '/api/v1/events', { event_type: 'hdr.sent', data: { n: 1 } });
    expect(published.status).toBe(202);
    const eventId = published.body.data.event_id as string;
    return eventually(
      async () =>
        receiver.requests.find((r) => r.path === path && JSON.parse(r.body).event_id === eventId) ?? undefined,
      15_000,
      `a delivery of ${eventId} to ${path}`,
    );
  }

  it('stores header values sealed, answers them masked with has_headers, and sends them as given', async () => {
    const token = secret('Bearer sk_live');
    const tenantHeader = secret('acme');
    const created = await createWebhook({ Authorization: token, 'X-Tenant': tenantHeader }, '/sealed');
    expect(created.headers).toEqual({ Authorization: '••••', 'X-Tenant': '••••' });
    expect(created.has_headers).toBe(true);

    // at rest: sealed values, the names as given
    const stored = await storedHeaders(created.webhook_id);
    expect(Object.keys(stored).sort()).toEqual(['Authorization', 'X-Tenant']);
    for (const value of Object.values(stored)) expect(value).toMatch(SEALED);
    const row = await db.query<{ row: string }>(
      'SELECT row_to_json(s)::text AS row FROM subscriptions s WHERE id = $1',
      [created.webhook_id],
    );
    expect(row.rows[0].row).not.toContain(token);
    expect(row.rows[0].row).not.toContain(tenantHeader);

    // answers: GET and the list mask them; a subscription without headers says so
    const plain = await createWebhook({}, '/plain');
    expect(plain).toMatchObject({ headers: {}, has_headers: false });
    const nulled = await call('post', '/api/v1/webhooks', {
      name: 'null headers',
      url: receiver.url('/null'),
      events: ['none.*'],
      headers: null,
    });
    expect({ status: nulled.status, headers: nulled.body.data?.headers }).toEqual({ status: 201, headers: {} });
    const one = await call('get', `/api/v1/webhooks/${created.webhook_id}`);
    expect(one.body.data).toMatchObject({ headers: { Authorization: '••••', 'X-Tenant': '••••' }, has_headers: true });
    const list = await call('get', '/api/v1/webhooks?limit=100');
    const listed = (list.body.data as { webhook_id: string }[]).find((w) => w.webhook_id === created.webhook_id);
    expect(listed).toMatchObject({ headers: { Authorization: '••••', 'X-Tenant': '••••' }, has_headers: true });

    // the subscriber gets the values themselves
    const sent = await deliveredTo('/sealed');
    expect(sent.headers.authorization).toBe(token);
    expect(sent.headers['x-tenant']).toBe(tenantHeader);

    // the delivery log shows the names only
    const log = await call('get', `/api/v1/webhooks/${created.webhook_id}/deliveries`);
    const detail = await call('get', `/api/v1/webhooks/deliveries/${log.body.data[0].delivery_id}`);
    const logged = detail.body.data.attempts[0].request.headers as Record<string, string>;
    expect(logged).toMatchObject({ Authorization: '[redacted]', 'X-Tenant': '[redacted]' });
    expect(logged['X-Webhook-ID']).toBe(created.webhook_id);
    const attempts = await db.query<{ row: string }>(
      `SELECT row_to_json(a)::text AS row FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
       WHERE d.subscription_id = $1`,
      [created.webhook_id],
    );
    expect(attempts.rows.length).toBeGreaterThan(0);
    for (const r of attempts.rows) {
      expect(r.row).not.toContain(token);
      expect(r.row).not.toContain(tenantHeader);
    }
    expect(answers.filter((text) => text.includes(token) || text.includes(tenantHeader))).toEqual([]);
  });

  it('PATCH keeps the headers it does not name: a value sets, null removes, •••• keeps; names match in any case', async () => {
    const token = secret('Bearer first');
    const created = await createWebhook({ Authorization: token, 'X-Keep': 'kept-value' }, '/patched');
    const sealedBefore = await storedHeaders(created.webhook_id);

    // another field: the headers stay as they were, sealed text and all
    const renamed = await call('patch', `/api/v1/webhooks/${created.webhook_id}`, { name: 'renamed' });
    expect(renamed.body.data).toMatchObject({
      headers: { Authorization: '••••', 'X-Keep': '••••' },
      has_headers: true,
    });
    expect(await storedHeaders(created.webhook_id)).toEqual(sealedBefore);

    // one header added, the others kept
    const added = await call('patch', `/api/v1/webhooks/${created.webhook_id}`, { headers: { 'X-New': 'new-value' } });
    expect(added.body.data.headers).toEqual({ Authorization: '••••', 'X-Keep': '••••', 'X-New': '••••' });
    let sent = await deliveredTo('/patched');
    expect([sent.headers.authorization, sent.headers['x-keep'], sent.headers['x-new']]).toEqual([
      token,
      'kept-value',
      'new-value',
    ]);

    // the masked value echoed back keeps; null removes; a new value under another letter case replaces
    const rotated = secret('Bearer second');
    const changed = await call('patch', `/api/v1/webhooks/${created.webhook_id}`, {
      headers: { 'X-Keep': '••••', 'X-New': null, authorization: rotated },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.data.headers).toEqual({ 'X-Keep': '••••', authorization: '••••' });
    const stored = await storedHeaders(created.webhook_id);
    expect(stored['X-Keep']).toBe(sealedBefore['X-Keep']);
    expect(stored.authorization).toMatch(SEALED);
    sent = await deliveredTo('/patched');
    expect(sent.headers.authorization).toBe(rotated);
    expect(sent.headers['x-keep']).toBe('kept-value');
    expect(sent.headers['x-new']).toBeUndefined();

    // •••• for a header that is not there is refused; so is headers: null
    const missing = await call('patch', `/api/v1/webhooks/${created.webhook_id}`, { headers: { 'X-Missing': '••••' } });
    expect({
      status: missing.status,
      code: missing.body.error?.code,
      field: missing.body.error?.details?.[0]?.field,
    }).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'headers.X-Missing',
    });
    const nulled = await call('patch', `/api/v1/webhooks/${created.webhook_id}`, { headers: null });
    expect(nulled.status).toBe(400);

    // removing the last header
    const emptied = await call('patch', `/api/v1/webhooks/${created.webhook_id}`, {
      headers: { 'X-Keep': null, Authorization: null },
    });
    expect(emptied.body.data).toMatchObject({ headers: {}, has_headers: false });
    expect(await storedHeaders(created.webhook_id)).toEqual({});
    expect(answers.filter((text) => [token, rotated, 'kept-value', 'new-value'].some((v) => text.includes(v)))).toEqual(
      [],
    );
  });

  it('keeps sending plain values of rows written before sealing, and seals them on the next write', async () => {
    const created = await createWebhook({}, '/legacy');
    const legacy = secret('legacy-token');
    await db.query('UPDATE subscriptions SET headers = $2::jsonb WHERE id = $1', [
      created.webhook_id,
      JSON.stringify({ 'X-Legacy': legacy }),
    ]);
    const one = await call('get', `/api/v1/webhooks/${created.webhook_id}`);
    expect(one.body.data).toMatchObject({ headers: { 'X-Legacy': '••••' }, has_headers: true });
    expect((await deliveredTo('/legacy')).headers['x-legacy']).toBe(legacy);

    await call('patch', `/api/v1/webhooks/${created.webhook_id}`, { description: 'any write seals' });
    const stored = await storedHeaders(created.webhook_id);
    expect(stored['X-Legacy']).toMatch(SEALED);
    expect((await deliveredTo('/legacy')).headers['x-legacy']).toBe(legacy);
  });

  it('seals plain values at start-up, without touching sealed ones or updated_at', async () => {
    const plainRow = await createWebhook({}, '/startup-plain');
    const sealedRow = await createWebhook({ 'X-Sealed': 'already' }, '/startup-sealed');
    const sealedBefore = await storedHeaders(sealedRow.webhook_id);
    await db.query(`UPDATE subscriptions SET headers = '{"X-Old": "plain-at-rest"}'::jsonb WHERE id = $1`, [
      plainRow.webhook_id,
    ]);
    const updatedBefore = (await call('get', `/api/v1/webhooks/${plainRow.webhook_id}`)).body.data.updated_at;

    // a worker process starting on the same database seals it (as every process does at start-up)
    const worker = await startWorker(ENV);
    await worker.close();
    const stored = await storedHeaders(plainRow.webhook_id);
    expect(stored['X-Old']).toMatch(SEALED);
    expect(await storedHeaders(sealedRow.webhook_id)).toEqual(sealedBefore);
    expect((await call('get', `/api/v1/webhooks/${plainRow.webhook_id}`)).body.data.updated_at).toBe(updatedBefore);
    expect((await deliveredTo('/startup-plain')).headers['x-old']).toBe('plain-at-rest');
    // nothing left to seal
    expect(await t.app.get(SubscriptionsService).sealPlainHeaders()).toBe(0);
  });

  it('gives a delivery up when its headers cannot be opened (sealed under another ENCRYPTION_KEY)', async () => {
    const created = await createWebhook({}, '/other-key');
    const foreign = new SecretBox(randomBytes(32)).seal('sealed elsewhere');
    await db.query('UPDATE subscriptions SET headers = $2::jsonb WHERE id = $1', [
      created.webhook_id,
      JSON.stringify({ 'X-Foreign': foreign }),
    ]);
    await call('post', '/api/v1/events', { event_type: 'hdr.sent', data: { n: 2 } });
    const dead = await eventually(
      async () => {
        const log = await call('get', `/api/v1/webhooks/${created.webhook_id}/deliveries`);
        return log.body.data.find((d: { status: string }) => d.status === 'dead');
      },
      15_000,
      'the delivery given up',
    );
    expect(dead.error).toMatch(/cannot be decrypted/);
    expect(receiver.requests.filter((r) => r.path === '/other-key')).toEqual([]);
  });
});
