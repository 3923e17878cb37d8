import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundCount, settledInbound } from './helpers/inbound';
import { Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '300ms',
};

/** From test/fixtures/providers/SECRETS.md. */
const APP_SECRET = 'test_whatsapp_app_secret_0123456789';
const VERIFY_TOKEN = 'meatyhamhock';
const FIXTURES = join(__dirname, 'fixtures', 'providers', 'whatsapp');
const WAMID_IN = 'wamid.HBgLNzkxNjEyMzQ1NjcVAgASGBQzQUI0NkE4NjM1QTU2NjVGOURGQgA=';
const WAMID_OUT = 'wamid.HBgLNzkxNjEyMzQ1NjcVAgARGBI0RjM2QkI5QjlCQkQ4QjY1OEUA';

/** A fixture's exact body and the headers Meta sends (no Host or Content-Length: supertest sets those). */
function fixture(name: string): { body: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const line of readFileSync(join(FIXTURES, `${name}.headers`), 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    if (!['host', 'content-length'].includes(key.toLowerCase())) headers[key] = line.slice(colon + 1).trim();
  }
  return { body: readFileSync(join(FIXTURES, `${name}.body`)), headers };
}

/** Meta's headers for a body we made: X-Hub-Signature-256 with the app secret. */
function signed(value: unknown, secret = APP_SECRET): { body: Buffer; headers: Record<string, string> } {
  const body = Buffer.from(JSON.stringify(value));
  const signature = createHmac('sha256', secret).update(body).digest('hex');
  return { body, headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': `sha256=${signature}` } };
}

const METADATA = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };
const notification = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [{ value: { messaging_product: 'whatsapp', metadata: METADATA, ...value }, field: 'messages' }],
    },
  ],
});

/** The status-delivered sample of the notes. */
const STATUS_DELIVERED = notification({
  statuses: [
    {
      id: WAMID_OUT,
      status: 'delivered',
      timestamp: '1726140360',
      recipient_id: '79161234567',
      conversation: { id: 'CONVERSATION_ID', origin: { type: 'service' } },
      pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
    },
  ],
});

describe('WhatsApp integration (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(ENV);
    receiver = await new Receiver().start();
  });

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver.requests.length = 0;
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'whatsapp', url: receiver.url(), events: ['message.*', 'whatsapp.*'] })
      .expect(201);
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  async function createSource(config: Record<string, unknown> = { verify_token: VERIFY_TOKEN }) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({
        name: 'WhatsApp',
        provider: 'whatsapp',
        verification: { scheme: 'whatsapp', secret: APP_SECRET },
        config,
      })
      .expect(201);
    return res.body.data as { source_id: string; ingest_url: string };
  }

  const settled = (id: string, status: 'completed' | 'failed') => settledInbound(t.http, tenant.auth, id, status);

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  /** Posts the exact bytes (superagent would otherwise JSON-encode a Buffer sent as application/json). */
  const post = (path: string, { body, headers }: { body: Buffer; headers: Record<string, string> }) =>
    request(t.http)
      .post(path)
      .set(headers)
      .serialize((bytes) => bytes)
      .send(body);

  const route = (sourceId: string) => `/api/v1/integrations/whatsapp/${sourceId}`;

  it('gives the WhatsApp route as ingest_url: the Callback URL for the Meta app', async () => {
    const source = await createSource();
    expect(new URL(source.ingest_url).pathname).toBe(route(source.source_id));
  });

  describe('verification handshake (GET)', () => {
    const query = readFileSync(join(FIXTURES, 'verify-get.request'), 'utf8').split(' ')[1].split('?')[1];

    it('answers the verify-get fixture with the bare hub.challenge as text/plain', async () => {
      const source = await createSource();
      const res = await request(t.http)
        .get(`${route(source.source_id)}?${query}`)
        .expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toBe(readFileSync(join(FIXTURES, 'responses', 'verify-get-ok.body'), 'utf8'));
      expect(res.text).toBe('1158201444');
    });

    it('answers 403 FORBIDDEN in the error envelope for a wrong token, another mode, or no configured token', async () => {
      const source = await createSource();
      const wrong = await request(t.http)
        .get(`${route(source.source_id)}?${query.replace('meatyhamhock', 'not-my-token')}`)
        .expect(403);
      expect(wrong.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/hub.verify_token/) });
      expect(wrong.text).not.toContain('1158201444');
      const mode = await request(t.http)
        .get(`${route(source.source_id)}?${query.replace('subscribe', 'unsubscribe')}`)
        .expect(403);
      expect(mode.body.error.code).toBe('FORBIDDEN');
      const unconfigured = await createSource({});
      const none = await request(t.http)
        .get(`${route(unconfigured.source_id)}?${query}`)
        .expect(403);
      expect(none.body.error.message).toMatch(/config.verify_token/);
    });

    it('answers 404 for an unknown source', async () => {
      const res = await request(t.http)
        .get(`${route('src_00000000000000000000000000')}?${query}`)
        .expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('inbound-text-message', () => {
    async function expectReceived(id: string, sourceId: string) {
      const done = await settled(id, 'completed');
      expect(done).toMatchObject({
        provider: 'whatsapp',
        dedup_key: WAMID_IN,
        event_type: 'message.received',
        event_subtype: 'text',
        entity_type: 'message',
        entity_id: WAMID_IN,
        entity_key: `whatsapp:106540352242922:message:${WAMID_IN}`,
        execution_context: {
          whatsapp_items: { messages: 1, statuses: 0, errors: 0, other: 0 },
          event_types: ['message.received'],
        },
      });
      const [delivered] = await receiver.waitForRequests(1);
      expect(JSON.parse(delivered.body)).toMatchObject({
        event_type: 'message.received',
        metadata: { inbound_event_id: id, source_id: sourceId, provider: 'whatsapp' },
        data: {
          provider: 'whatsapp',
          phone_number_id: '106540352242922',
          chat_id: '79161234567',
          message_id: WAMID_IN,
          from: { id: '79161234567', name: 'Анна Смирнова', phone: '+79161234567' },
          phone: '+79161234567',
          name: 'Анна Смирнова',
          text: 'Привет! Есть свободное время завтра?',
          message_type: 'text',
          sent_at: '2024-09-12T11:25:00.000Z',
        },
      });
    }

    it('on the WhatsApp route: 200 accepted (what Meta wants), completed, message.received delivered', async () => {
      const source = await createSource();
      const res = await post(route(source.source_id), fixture('inbound-text-message')).expect(200);
      expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });
      await expectReceived(res.body.data.webhook_event_id, source.source_id);
    });

    it('on /api/v1/ingest/{source_id}: 202 and the same event', async () => {
      const source = await createSource();
      const res = await post(`/api/v1/ingest/${source.source_id}`, fixture('inbound-text-message')).expect(202);
      await expectReceived(res.body.data.webhook_event_id, source.source_id);
    });

    it('answers a resent notification 200 duplicate with the first id', async () => {
      const source = await createSource();
      const first = await post(route(source.source_id), fixture('inbound-text-message')).expect(200);
      const again = await post(route(source.source_id), fixture('inbound-text-message')).expect(200);
      expect(again.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
      expect(await storedCount(source.source_id)).toBe(1);
    });

    it('refuses a wrong app secret, the verify token as secret, and the body re-encoded without \\u escapes: 401', async () => {
      const source = await createSource();
      const { body, headers } = fixture('inbound-text-message');
      const wrong = await post(route(source.source_id), {
        body,
        headers: { ...headers, ...signed({}, 'another-secret').headers },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
      const token = createHmac('sha256', VERIFY_TOKEN).update(body).digest('hex');
      await post(route(source.source_id), {
        body,
        headers: { ...headers, 'X-Hub-Signature-256': `sha256=${token}` },
      }).expect(401);
      const reencoded = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
      await post(route(source.source_id), { body: reencoded, headers }).expect(401);
      const { 'X-Hub-Signature-256': _sig, ...unsigned } = headers;
      await post(route(source.source_id), { body, headers: unsigned }).expect(401);
      expect(await storedCount(source.source_id)).toBe(0);
    });

    it('answers 404 for an unknown source and a source of another provider', async () => {
      await post(route('src_00000000000000000000000000'), fixture('inbound-text-message')).expect(404);
      const slack = await request(t.http)
        .post('/api/v1/sources')
        .set(tenant.auth)
        .send({ name: 'slack', provider: 'slack', verification: { scheme: 'whatsapp', secret: APP_SECRET } })
        .expect(201);
      await post(route(slack.body.data.source_id), fixture('inbound-text-message')).expect(404);
    });
  });

  it('a delivered status is message.status_changed/delivered about the sent message', async () => {
    const source = await createSource();
    const res = await post(route(source.source_id), signed(STATUS_DELIVERED)).expect(200);
    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done).toMatchObject({
      dedup_key: `${WAMID_OUT}:delivered`,
      event_type: 'message.status_changed',
      event_subtype: 'delivered',
      entity_type: 'message',
      entity_id: WAMID_OUT,
      entity_key: `whatsapp:106540352242922:message:${WAMID_OUT}`,
    });
    const [delivered] = await receiver.waitForRequests(1);
    expect(JSON.parse(delivered.body).data).toMatchObject({
      message_id: WAMID_OUT,
      status: 'delivered',
      phone: '+79161234567',
      changed_at: '2024-09-12T11:26:00.000Z',
      pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
    });
    // read is another status of the same message: not a duplicate
    const read = JSON.parse(JSON.stringify(STATUS_DELIVERED).replace('"delivered"', '"read"'));
    await post(route(source.source_id), signed(read))
      .expect(200)
      .expect((r) => expect(r.body.data.status).toBe('accepted'));
    // and delivered as its own event (waited for here, so it cannot arrive during the next test)
    const [, second] = await receiver.waitForRequests(2);
    expect(JSON.parse(second.body).data).toMatchObject({ message_id: WAMID_OUT, status: 'read' });
  });

  it('one notification with two messages and a status: three events from one inbound event', async () => {
    const source = await createSource();
    const batch = notification({
      contacts: [{ profile: { name: 'Анна' }, wa_id: '79161234567' }],
      messages: [
        { from: '79161234567', id: 'wamid.A1', timestamp: '1726140300', type: 'text', text: { body: 'раз' } },
        { from: '79161234567', id: 'wamid.A2', timestamp: '1726140301', type: 'text', text: { body: 'два' } },
      ],
      statuses: [{ id: 'wamid.S1', status: 'read', timestamp: '1726140302', recipient_id: '79161234567' }],
    });
    const res = await post(route(source.source_id), signed(batch)).expect(200);
    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done.dedup_key).toMatch(/^batch:[0-9a-f]{64}$/);
    expect(done.execution_context.event_types).toEqual([
      'message.received',
      'message.received',
      'message.status_changed',
    ]);
    const delivered = (await receiver.waitForRequests(3)).map((r) => JSON.parse(r.body).data);
    expect(delivered.map((d) => d.text ?? d.status).sort()).toEqual(['read', 'два', 'раз']);
  });

  it('stores a notification without entry[], then fails it with a readable error (never a 5xx)', async () => {
    const source = await createSource({ verify_token: VERIFY_TOKEN, max_retries: 0 });
    const res = await post(route(source.source_id), signed({ object: 'whatsapp_business_account' })).expect(200);
    const failed = await settled(res.body.data.webhook_event_id, 'failed');
    expect(failed).toMatchObject({
      retry_count: 1,
      max_retries: 0,
      error: 'not a WhatsApp Cloud API notification: entry[] is missing',
    });
  });
});
