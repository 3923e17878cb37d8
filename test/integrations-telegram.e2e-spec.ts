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
const SECRET_TOKEN = 'tg-Secret_Token-123';
const FIXTURES = join(__dirname, 'fixtures', 'providers', 'telegram');

/** A fixture's exact body and the headers Telegram sends (no Host or Content-Length: supertest sets those). */
function fixture(name: string): { body: Buffer; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  for (const line of readFileSync(join(FIXTURES, `${name}.headers`), 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    if (!['host', 'content-length', 'connection'].includes(key.toLowerCase()))
      headers[key] = line.slice(colon + 1).trim();
  }
  return { body: readFileSync(join(FIXTURES, `${name}.body`)), headers };
}

/** The update-callback-query sample the notes describe: an inline-button press, data "confirm:42". */
const CALLBACK_QUERY = Buffer.from(
  '{"update_id":872356105,\n"callback_query":{"id":"4382bfdwdsb323b2d9","from":{"id":123456789,"is_bot":false,' +
    '"first_name":"\\u0418\\u0432\\u0430\\u043d","username":"ivan_p","language_code":"ru"},"message":{"message_id":4022,' +
    '"from":{"id":7000000001,"is_bot":true,"first_name":"Shop","username":"shop_bot"},"chat":{"id":123456789,' +
    '"first_name":"\\u0418\\u0432\\u0430\\u043d","username":"ivan_p","type":"private"},"date":1726140210,' +
    '"text":"\\u0417\\u0430\\u043a\\u0430\\u0437 #42"},"chat_instance":"-6786781427316431281","data":"confirm:42"}}',
);

describe('Telegram integration (e2e)', () => {
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
      .send({ name: 'bot events', url: receiver.url(), events: ['message.*', 'callback_query.*', 'telegram.*'] })
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
      .send({
        name: 'Shop bot',
        provider: 'telegram',
        verification: { scheme: 'telegram', secret: SECRET_TOKEN },
        config,
      })
      .expect(201);
    return res.body.data as { source_id: string; ingest_url: string };
  }

  const settled = (id: string, status: 'completed' | 'failed') => settledInbound(t.http, tenant.auth, id, status);

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  /** Posts the exact bytes (superagent would otherwise JSON-encode a Buffer sent as application/json). */
  const post = (path: string, raw: Buffer, headers: Record<string, string>) =>
    request(t.http)
      .post(path)
      .set(headers)
      .serialize((bytes) => bytes)
      .send(raw);

  const routes: [string, (sourceId: string) => string][] = [
    ['the Telegram route', (id) => `/api/v1/integrations/telegram/${id}`],
    ['/api/v1/ingest/{source_id}', (id) => `/api/v1/ingest/${id}`],
  ];

  it('gives the Telegram route as ingest_url, to pass to setWebhook', async () => {
    const source = await createSource();
    expect(new URL(source.ingest_url).pathname).toBe(`/api/v1/integrations/telegram/${source.source_id}`);
  });

  describe.each(routes)('update-message-command on %s', (_route, path) => {
    it('202, completed as message.received/command about the message, delivered with the sender', async () => {
      const source = await createSource();
      const { body, headers } = fixture('update-message-command');
      const res = await post(path(source.source_id), body, headers).expect(202);
      expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });
      const done = await settled(res.body.data.webhook_event_id, 'completed');
      expect(done).toMatchObject({
        provider: 'telegram',
        dedup_key: '872356104',
        event_type: 'message.received',
        event_subtype: 'command',
        entity_type: 'message',
        entity_id: '123456789:4021',
        entity_key: `telegram:${source.source_id}:message:123456789:4021`,
        execution_context: {
          telegram_update_id: '872356104',
          telegram_update_kind: 'message',
          event_types: ['message.received'],
        },
      });
      expect(done.headers['x-telegram-bot-api-secret-token']).toBe('[redacted]');
      const [delivered] = await receiver.waitForRequests(1);
      const envelope = JSON.parse(delivered.body);
      expect(envelope).toMatchObject({
        event_type: 'message.received',
        metadata: { inbound_event_id: done.id, source_id: source.source_id, provider: 'telegram' },
        data: {
          provider: 'telegram',
          chat_id: '123456789',
          chat_type: 'private',
          message_id: '4021',
          from: { id: '123456789', username: 'ivan_p', first_name: 'Иван', last_name: 'Петров', name: 'Иван Петров' },
          text: '/start promo_42',
          message_type: 'command',
          command: 'start',
          command_args: 'promo_42',
          phone: null,
          sent_at: '2024-09-12T11:23:20.000Z',
        },
      });
    });
  });

  describe.each(routes)('callback query on %s', (_route, path) => {
    it('is callback_query.received with the button data', async () => {
      const source = await createSource();
      const res = await post(path(source.source_id), CALLBACK_QUERY, {
        'Content-Type': 'application/json',
        'X-Telegram-Bot-Api-Secret-Token': SECRET_TOKEN,
      }).expect(202);
      const done = await settled(res.body.data.webhook_event_id, 'completed');
      expect(done).toMatchObject({
        event_type: 'callback_query.received',
        event_subtype: null,
        entity_type: 'callback_query',
        entity_id: '4382bfdwdsb323b2d9',
        entity_key: `telegram:${source.source_id}:callback_query:4382bfdwdsb323b2d9`,
        execution_context: { telegram_update_id: '872356105', telegram_update_kind: 'callback_query' },
      });
      const [delivered] = await receiver.waitForRequests(1);
      expect(JSON.parse(delivered.body).data).toMatchObject({
        callback_query_id: '4382bfdwdsb323b2d9',
        callback_data: 'confirm:42',
        chat_id: '123456789',
        message_id: '4022',
        from: { id: '123456789', first_name: 'Иван' },
      });
    });
  });

  it('answers a resent update_id 200 duplicate with the first id, storing nothing new', async () => {
    const source = await createSource();
    const { body, headers } = fixture('update-message-command');
    const first = await post(`/api/v1/integrations/telegram/${source.source_id}`, body, headers).expect(202);
    const again = await post(`/api/v1/integrations/telegram/${source.source_id}`, body, headers).expect(200);
    expect(again.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    expect(await storedCount(source.source_id)).toBe(1);
  });

  it('refuses a wrong or missing secret token: 401 INVALID_SIGNATURE, nothing stored', async () => {
    const source = await createSource();
    const { body, headers } = fixture('update-message-command');
    const route = `/api/v1/integrations/telegram/${source.source_id}`;
    const wrong = await post(route, body, {
      ...headers,
      'X-Telegram-Bot-Api-Secret-Token': 'tg-Other_Token-456',
    }).expect(401);
    expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
    const { 'X-Telegram-Bot-Api-Secret-Token': _token, ...without } = headers;
    const missing = await post(route, body, without).expect(401);
    expect(missing.body.error.message).toMatch(/X-Telegram-Bot-Api-Secret-Token/);
    expect(await storedCount(source.source_id)).toBe(0);
  });

  it('answers 404 for an unknown source and for a source of another provider', async () => {
    const { body, headers } = fixture('update-message-command');
    const unknown = await post('/api/v1/integrations/telegram/src_00000000000000000000000000', body, headers).expect(
      404,
    );
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const whatsapp = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'wa', provider: 'whatsapp', verification: { scheme: 'telegram', secret: SECRET_TOKEN } })
      .expect(201);
    await post(`/api/v1/integrations/telegram/${whatsapp.body.data.source_id}`, body, headers).expect(404);
  });

  it('stores an update with no update object, then fails it with a readable error (never a 5xx)', async () => {
    const source = await createSource({ max_retries: 0 });
    const res = await post(
      `/api/v1/integrations/telegram/${source.source_id}`,
      Buffer.from('{"update_id":872356199}'),
      {
        'Content-Type': 'application/json',
        'X-Telegram-Bot-Api-Secret-Token': SECRET_TOKEN,
      },
    ).expect(202);
    const failed = await settled(res.body.data.webhook_event_id, 'failed');
    expect(failed).toMatchObject({
      retry_count: 1,
      max_retries: 0,
      error: 'Telegram update 872356199 holds no update object (message, callback_query, …)',
    });
  });
});
