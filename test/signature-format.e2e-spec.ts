import { createHmac, timingSafeEqual } from 'node:crypto';
import request from 'supertest';
import { Webhook } from 'standardwebhooks';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

/**
 * `signature_format` (issue #11 item 4): `body` signs the raw body alone, so a receiver written as
 * PHP's `hash_equals('sha256=' . hash_hmac('sha256', $body, $secret), $header)` accepts it; the default
 * `timestamped` signs "<ts>.<body>"; the Standard Webhooks headers are the same either way.
 */

const OUTGOING = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  DELIVERY_RETRY_SCHEDULE: '300ms,300ms',
  SWEEP_INTERVAL: '500ms',
};

/** The check a PHP receiver makes: `hash_equals('sha256=' . hash_hmac('sha256', $body, $secret), $signature)`. */
function phpReceiverAccepts(secret: string, req: ReceivedRequest): boolean {
  const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(req.body, 'utf8').digest('hex'));
  const given = Buffer.from(String(req.headers['x-webhook-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('signature_format (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;
  let secret = '';

  beforeAll(async () => {
    t = await startApp(OUTGOING);
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver = await new Receiver().start();
    // a PHP-style receiver: 401 unless the body alone is signed with the endpoint's secret
    receiver.reply = (req) => (phpReceiverAccepts(secret, req) ? { status: 200 } : { status: 401, body: 'bad sig' });
  });

  afterEach(async () => {
    await receiver.stop();
  });

  afterAll(async () => {
    await t.close();
  });

  async function subscribe(body: Record<string, unknown>) {
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'php', url: receiver.url(), events: ['deal.won'], ...body })
      .expect(201);
    secret = res.body.data.secret;
    return res.body.data as { webhook_id: string; secret: string; signature_format: string };
  }

  async function publish(): Promise<string> {
    const res = await request(t.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: 'deal.won', data: { deal_id: 42, title: 'Сделка' } })
      .expect(202);
    return res.body.data.event_id as string;
  }

  async function deliveryOf(webhookId: string, status: string) {
    return eventually(
      async () => {
        const res = await request(t.http).get(`/api/v1/webhooks/${webhookId}/deliveries`).set(tenant.auth).expect(200);
        return (res.body.data as { status: string; attempt: number; http_status: number }[]).find(
          (d) => d.status === status,
        );
      },
      15_000,
      `a ${status} delivery`,
    );
  }

  it('body: a receiver checking hash_hmac over the raw body accepts the first attempt', async () => {
    const sub = await subscribe({ signature_format: 'body' });
    expect(sub.signature_format).toBe('body');
    const eventId = await publish();

    const [req] = await receiver.waitForRequests(1);
    expect(phpReceiverAccepts(sub.secret, req)).toBe(true);
    expect(await deliveryOf(sub.webhook_id, 'success')).toMatchObject({ attempt: 1, http_status: 200 });

    // X-Webhook-Timestamp and the Standard Webhooks headers are sent as in the timestamped format
    const ts = req.headers['x-webhook-timestamp'] as string;
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(30);
    expect(req.headers['webhook-id']).toBe(eventId);
    expect(req.headers['webhook-timestamp']).toBe(ts);
    const verified = new Webhook(sub.secret).verify(req.body, {
      'webhook-id': req.headers['webhook-id'] as string,
      'webhook-timestamp': ts,
      'webhook-signature': req.headers['webhook-signature'] as string,
    });
    expect(verified).toEqual(JSON.parse(req.body));
  });

  it('timestamped is the default, signs "<ts>.<body>", and the body-only check refuses it', async () => {
    const sub = await subscribe({});
    expect(sub.signature_format).toBe('timestamped');
    await publish();
    const [req] = await receiver.waitForRequests(1);
    const ts = req.headers['x-webhook-timestamp'] as string;
    const timestamped = createHmac('sha256', sub.secret).update(`${ts}.${req.body}`).digest('hex');
    expect(req.headers['x-webhook-signature']).toBe(`sha256=${timestamped}`);
    expect(phpReceiverAccepts(sub.secret, req)).toBe(false);
    expect(await deliveryOf(sub.webhook_id, 'retrying')).toMatchObject({ http_status: 401 });
  });

  it('PATCH switches the format; GET shows it; a rotation signs the body with both secrets', async () => {
    const sub = await subscribe({});
    const patched = await request(t.http)
      .patch(`/api/v1/webhooks/${sub.webhook_id}`)
      .set(tenant.auth)
      .send({ signature_format: 'body' })
      .expect(200);
    expect(patched.body.data.signature_format).toBe('body');
    const read = await request(t.http).get(`/api/v1/webhooks/${sub.webhook_id}`).set(tenant.auth).expect(200);
    expect(read.body.data.signature_format).toBe('body');

    const rotated = await request(t.http)
      .post(`/api/v1/webhooks/${sub.webhook_id}/rotate-secret`)
      .set(tenant.auth)
      .expect(200);
    await publish();
    const [req] = await receiver.waitForRequests(1);
    const sign = (key: string) => 'sha256=' + createHmac('sha256', key).update(req.body).digest('hex');
    expect(req.headers['x-webhook-signature']).toBe(`${sign(rotated.body.data.secret)} ${sign(sub.secret)}`);
  });

  it('refuses an unknown format and null with 400 naming signature_format', async () => {
    const bad = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'x', url: receiver.url(), events: ['deal.won'], signature_format: 'raw' })
      .expect(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['signature_format']);

    const sub = await subscribe({});
    const cleared = await request(t.http)
      .patch(`/api/v1/webhooks/${sub.webhook_id}`)
      .set(tenant.auth)
      .send({ signature_format: null })
      .expect(400);
    expect(cleared.body.error.details.map((d: { field: string }) => d.field)).toEqual(['signature_format']);
  });
});
