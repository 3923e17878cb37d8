import { createHmac } from 'node:crypto';
import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundCount, settledInbound } from './helpers/inbound';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '300ms',
};

/** The Stripe endpoint secret of the fixtures (fixtures/SECRETS.md); the HMAC key is the whole whsec_ string. */
const SECRET = 'whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH';

/** Stripe's body: the Event object pretty-printed with a 2-space indent (signed as is, never re-serialised). */
const pretty = (event: object): string => JSON.stringify(event, null, 2);

function paymentIntentSucceeded(id = 'evt_3PyTest0000000000000000', extra: object = {}): string {
  return pretty({
    id,
    object: 'event',
    api_version: '2024-06-20',
    created: 1726140099,
    data: {
      object: {
        id: 'pi_3PyTest0000000000000000',
        object: 'payment_intent',
        amount: 2000,
        amount_capturable: 0,
        amount_received: 2000,
        currency: 'usd',
        customer: 'cus_QpTest00000000',
        metadata: { order_id: '6735' },
        status: 'succeeded',
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: 'req_8Hs9Test00000', idempotency_key: '5c1a3d6e-2f7b-4c1e-9a0d-0b8f3e2d1c4a' },
    type: 'payment_intent.succeeded',
    ...extra,
  });
}

/** Headers of a Stripe delivery signed at `t` (now by default), as stripe-node's generateTestHeaderString does. */
function stripeHeaders(body: string, secret = SECRET, t = Math.floor(Date.now() / 1000)): Record<string, string> {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    'Stripe-Signature': `t=${t},v1=${v1}`,
  };
}

/** The body a subscriber receives (docs/api.md). */
interface Envelope {
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

describe('Stripe webhooks through /api/v1/ingest/{source_id} (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(ENV);
    tenant = await createTenant(t.http, 'Stripe tenant');
    receiver = await new Receiver().start();
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'stripe events', url: receiver.url(), events: ['stripe.*'] })
      .expect(201);
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  async function createSource(config: Record<string, unknown> = {}) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'stripe live', provider: 'stripe', verification: { scheme: 'stripe', secret: SECRET }, config })
      .expect(201);
    return res.body.data as { source_id: string; ingest_url: string };
  }

  /** Posts `body` byte for byte. */
  const ingest = (sourceId: string, body: string, headers: Record<string, string>) =>
    request(t.http)
      .post(`/api/v1/ingest/${sourceId}`)
      .set(headers)
      .serialize((raw: string) => raw)
      .send(body);

  const settled = (id: string, status: 'completed' | 'failed') => settledInbound(t.http, tenant.auth, id, status);

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  async function deliveredFor(id: string): Promise<{ request: ReceivedRequest; envelope: Envelope }> {
    return eventually(
      async () => {
        for (const r of receiver.requests) {
          const envelope = JSON.parse(r.body);
          if (envelope.metadata?.inbound_event_id === id) return { request: r, envelope };
        }
        return undefined;
      },
      15_000,
      `a delivery for ${id}`,
    );
  }

  it('refuses a stripe source without the whsec_ secret Stripe issued', async () => {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'stripe', provider: 'stripe' })
      .expect(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'verification.secret' }] });
  });

  it('accepts a signed payment_intent.succeeded, stores it about the payment intent and delivers it', async () => {
    const source = await createSource();
    expect(source.ingest_url).toMatch(new RegExp(`/api/v1/ingest/${source.source_id}$`));
    const body = paymentIntentSucceeded();
    const res = await ingest(source.source_id, body, stripeHeaders(body)).expect(202);
    expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });

    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done).toMatchObject({
      provider: 'stripe',
      event_type: 'stripe.payment_intent.succeeded',
      event_subtype: null,
      entity_type: 'payment_intent',
      entity_id: 'pi_3PyTest0000000000000000',
      entity_key: 'stripe:platform:payment_intent:pi_3PyTest0000000000000000',
      dedup_key: 'evt_3PyTest0000000000000000',
      retry_count: 0,
      error: null,
      payload: JSON.parse(body),
      execution_context: {
        stripe_event_id: 'evt_3PyTest0000000000000000',
        stripe_account: 'platform',
        livemode: false,
        api_version: '2024-06-20',
        occurred_at: '2024-09-12T11:21:39.000Z',
        event_types: ['stripe.payment_intent.succeeded'],
      },
    });
    expect(done.headers['stripe-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

    const { request: received, envelope } = await deliveredFor(done.id);
    expect(received.headers['x-webhook-event']).toBe('stripe.payment_intent.succeeded');
    expect(envelope).toMatchObject({
      event_id: done.events[0].event_id,
      event_type: 'stripe.payment_intent.succeeded',
      data: {
        id: 'evt_3PyTest0000000000000000',
        type: 'payment_intent.succeeded',
        data: { object: { id: 'pi_3PyTest0000000000000000', amount: 2000, amount_received: 2000, currency: 'usd' } },
        hookhub: {
          account: 'platform',
          currency: 'usd',
          currency_exponent: 2,
          amounts: { amount: '20.00', amount_capturable: '0.00', amount_received: '20.00' },
        },
      },
      metadata: { inbound_event_id: done.id, source_id: source.source_id, provider: 'stripe' },
    });
  });

  it('keys a Connect event by the connected account and converts zero-decimal amounts as they are', async () => {
    const source = await createSource();
    const body = pretty({
      id: 'evt_1PzConnectTest000000001',
      object: 'event',
      account: 'acct_1PzConnected0001',
      api_version: '2024-06-20',
      created: 1726140300,
      data: { object: { id: 'ch_3PzTestJpy', object: 'charge', amount: 5000, amount_refunded: 5000, currency: 'jpy' } },
      livemode: true,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: 'charge.refunded',
    });
    const res = await ingest(source.source_id, body, stripeHeaders(body)).expect(202);
    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done).toMatchObject({
      event_type: 'stripe.charge.refunded',
      entity_type: 'charge',
      entity_id: 'ch_3PzTestJpy',
      entity_key: 'stripe:acct_1PzConnected0001:charge:ch_3PzTestJpy',
      execution_context: {
        stripe_account: 'acct_1PzConnected0001',
        livemode: true,
        occurred_at: '2024-09-12T11:25:00.000Z',
      },
    });
    const { envelope } = await deliveredFor(done.id);
    expect(envelope.data.hookhub).toEqual({
      account: 'acct_1PzConnected0001',
      currency: 'jpy',
      currency_exponent: 0,
      amounts: { amount: '5000', amount_refunded: '5000' },
    });
  });

  it('answers a retry (same event id, signed again at a later t) 200 duplicate with the first id', async () => {
    const source = await createSource();
    const body = paymentIntentSucceeded('evt_3PyRetryTest00000000000');
    const now = Math.floor(Date.now() / 1000);
    const first = await ingest(source.source_id, body, stripeHeaders(body, SECRET, now - 60)).expect(202);
    const again = await ingest(source.source_id, body, stripeHeaders(body, SECRET, now)).expect(200);
    expect(again.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    const changed = paymentIntentSucceeded('evt_3PyRetryTest00000000000', { pending_webhooks: 0 });
    const sameIdOtherBody = await ingest(source.source_id, changed, stripeHeaders(changed)).expect(200);
    expect(sameIdOtherBody.body.data.webhook_event_id).toBe(first.body.data.webhook_event_id);
    expect(await storedCount(source.source_id)).toBe(1);

    const other = paymentIntentSucceeded('evt_3PyOtherTest00000000000');
    await ingest(source.source_id, other, stripeHeaders(other)).expect(202);
    expect(await storedCount(source.source_id)).toBe(2);
  });

  it('orders events of one payment intent by created: a late, older event is stored and delivered marked stale', async () => {
    const source = await createSource();
    const intent = { id: 'pi_3PyOrderTest000000000000', object: 'payment_intent', amount: 990, currency: 'eur' };
    const event = (id: string, type: string, created: number, status: string) =>
      pretty({ id, object: 'event', created, data: { object: { ...intent, status } }, livemode: false, type });
    const newer = event('evt_3PyOrderNewer0000000000', 'payment_intent.succeeded', 1726140500, 'succeeded');
    const older = event('evt_3PyOrderOlder0000000000', 'payment_intent.processing', 1726140400, 'processing');

    const first = await ingest(source.source_id, newer, stripeHeaders(newer)).expect(202);
    const firstDone = await settled(first.body.data.webhook_event_id, 'completed');
    const late = await ingest(source.source_id, older, stripeHeaders(older)).expect(202);
    const lateDone = await settled(late.body.data.webhook_event_id, 'completed');

    expect(firstDone.execution_context.stale).toBeUndefined();
    expect(lateDone).toMatchObject({
      entity_key: 'stripe:platform:payment_intent:pi_3PyOrderTest000000000000',
      execution_context: {
        occurred_at: '2024-09-12T11:26:40.000Z',
        stale: true,
        stale_events: [{ event_type: 'stripe.payment_intent.processing', reason: 'older_than_seen' }],
      },
    });
    const { envelope } = await deliveredFor(lateDone.id);
    expect(envelope.metadata).toMatchObject({ stale: true, stale_reason: 'older_than_seen' });
  });

  describe('refusals store nothing', () => {
    let source: { source_id: string };
    const body = paymentIntentSucceeded('evt_3PyRefusedTest000000000');

    beforeEach(async () => {
      source = await createSource();
    });

    afterEach(async () => {
      expect(await storedCount(source.source_id)).toBe(0);
    });

    it('401 INVALID_SIGNATURE for a signature made with another endpoint secret', async () => {
      const res = await ingest(source.source_id, body, stripeHeaders(body, 'whsec_another_endpoint_secret')).expect(
        401,
      );
      expect(res.body.error).toMatchObject({
        code: 'INVALID_SIGNATURE',
        message: expect.stringMatching(/does not match/),
      });
    });

    it('401 INVALID_SIGNATURE for a body re-serialised after signing (compact instead of pretty-printed)', async () => {
      const headers = stripeHeaders(body);
      const res = await ingest(source.source_id, JSON.stringify(JSON.parse(body)), headers).expect(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
    });

    it('401 INVALID_SIGNATURE for a timestamp outside the 300 s tolerance', async () => {
      const stale = stripeHeaders(body, SECRET, Math.floor(Date.now() / 1000) - 3600);
      const res = await ingest(source.source_id, body, stale).expect(401);
      expect(res.body.error).toMatchObject({ code: 'INVALID_SIGNATURE', message: expect.stringMatching(/tolerance/) });
    });

    it('401 INVALID_SIGNATURE without a Stripe-Signature header', async () => {
      const { 'Stripe-Signature': _signature, ...headers } = stripeHeaders(body);
      const res = await ingest(source.source_id, body, headers).expect(401);
      expect(res.body.error).toMatchObject({
        code: 'INVALID_SIGNATURE',
        message: expect.stringMatching(/Stripe-Signature/),
      });
    });
  });

  it('404 NOT_FOUND for an unknown source id', async () => {
    const body = paymentIntentSucceeded();
    const res = await ingest('src_00000000000000000000000000', body, stripeHeaders(body)).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    [
      'no data.object',
      { id: 'evt_1PzNoObject0000000000001', object: 'event', type: 'charge.succeeded', created: 1726140300, data: {} },
      /no data\.object: a Stripe event carries the object it is about in data\.object/,
    ],
    [
      'no type',
      { id: 'evt_1PzNoType00000000000001', object: 'event', created: 1726140300, data: { object: { id: 'ch_1' } } },
      /no type: a Stripe event names what happened in "type"/,
    ],
  ])('stores a verified event with %s, then marks it failed with a readable error', async (_case, event, error) => {
    const source = await createSource({ max_retries: 0 });
    const body = pretty(event);
    const res = await ingest(source.source_id, body, stripeHeaders(body)).expect(202);
    const failed = await settled(res.body.data.webhook_event_id, 'failed');
    expect(failed).toMatchObject({
      dedup_key: event.id,
      retry_count: 1,
      max_retries: 0,
      event_type: null,
      error: expect.stringMatching(error),
    });
    expect(failed.events).toEqual([]);
  });
});
