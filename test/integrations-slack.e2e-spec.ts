import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundCount, inboundEvent, settledInbound } from './helpers/inbound';
import { Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '300ms',
};

/** From test/fixtures/providers/SECRETS.md. */
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const ROUTE = '/api/v1/integrations/slack/events';
const FIXTURES = join(__dirname, 'fixtures', 'providers', 'slack');

const body = (name: string): Buffer => readFileSync(join(FIXTURES, `${name}.body`));

/** Slack's headers for `raw`, signed now (the fixtures' own signatures are years old) unless told otherwise. */
function slackHeaders(
  raw: Buffer,
  { secret = SIGNING_SECRET, ts = Math.floor(Date.now() / 1000), contentType = 'application/json' } = {},
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${ts}:`).update(raw).digest('hex');
  return {
    'Content-Type': contentType,
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'X-Slack-Request-Timestamp': String(ts),
    'X-Slack-Signature': `v0=${signature}`,
  };
}

describe('Slack integration (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(ENV);
    receiver = await new Receiver().start();
  });

  /** Sources made by the running test: deleted after it, since the Slack route finds sources across tenants. */
  let created: string[] = [];

  beforeEach(async () => {
    tenant = await createTenant(t.http);
    receiver.requests.length = 0;
    created = [];
  });

  afterEach(async () => {
    for (const id of created) await request(t.http).delete(`/api/v1/sources/${id}`).set(tenant.auth).expect(200);
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  async function createSource(config: Record<string, unknown> = { api_app_id: 'A0456EFGH', team_id: 'T0123ABCD' }) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'Slack', provider: 'slack', verification: { scheme: 'slack', secret: SIGNING_SECRET }, config })
      .expect(201);
    created.push(res.body.data.source_id);
    return res.body.data as { source_id: string; ingest_url: string };
  }

  async function subscribe(events = ['slack.*', 'message.*']) {
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'all slack', url: receiver.url(), events })
      .expect(201);
  }

  const settled = (id: string, status: 'completed' | 'failed') => settledInbound(t.http, tenant.auth, id, status);

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  /** The path and query of a source's ingest_url: what Slack is told to post to. */
  const urlOf = (source: { ingest_url: string }) => {
    const url = new URL(source.ingest_url);
    return url.pathname + url.search;
  };

  /** Posts the exact bytes (superagent would otherwise JSON-encode a Buffer sent as application/json). */
  const post = (path: string, raw: Buffer, headers: Record<string, string>) =>
    request(t.http)
      .post(path)
      .set(headers)
      .serialize((bytes) => bytes)
      .send(raw);

  describe('the Request URL', () => {
    it('gives an ingest_url on the Slack route that names the source', async () => {
      const source = await createSource();
      const url = new URL(source.ingest_url);
      expect(url.pathname).toBe(ROUTE);
      expect(url.searchParams.get('source_id')).toBe(source.source_id);
    });

    it('answers url_verification with {"challenge"} as raw JSON once verified, and stores nothing', async () => {
      const source = await createSource({});
      const raw = body('url-verification');
      const res = await post(urlOf(source), raw, slackHeaders(raw)).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
      expect(await storedCount(source.source_id)).toBe(0);
    });

    it('refuses a url_verification signed with another secret: 401, no challenge', async () => {
      const source = await createSource();
      const raw = body('url-verification');
      const res = await post(
        `${ROUTE}?source_id=${source.source_id}`,
        raw,
        slackHeaders(raw, { secret: 'not-the-signing-secret' }),
      ).expect(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
      expect(JSON.stringify(res.body)).not.toContain('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P');
    });

    it('answers 404 for a url_verification on the bare route: it names no app, so the ingest_url must be used', async () => {
      await createSource();
      const raw = body('url-verification');
      const res = await post(ROUTE, raw, slackHeaders(raw)).expect(404);
      expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/source_id/) });
    });

    it('answers 404 for a source_id of another provider', async () => {
      const other = await request(t.http)
        .post('/api/v1/sources')
        .set(tenant.auth)
        .send({ name: 'tg', provider: 'telegram', verification: { scheme: 'telegram', secret: 'tg-Secret_Token-123' } })
        .expect(201);
      const raw = body('url-verification');
      await post(`${ROUTE}?source_id=${other.body.data.source_id}`, raw, slackHeaders(raw)).expect(404);
    });
  });

  describe('event-callback-app-mention', () => {
    const raw = body('event-callback-app-mention');

    async function expectMention(id: string, sourceId: string) {
      const done = await settled(id, 'completed');
      expect(done).toMatchObject({
        provider: 'slack',
        source_id: sourceId,
        dedup_key: 'Ev07M3PQRSTU',
        event_type: 'slack.app_mention',
        event_subtype: null,
        entity_type: 'message',
        entity_id: 'C0ABCDEF1:1726139999.000100',
        entity_key: 'slack:T0123ABCD:message:C0ABCDEF1:1726139999.000100',
        execution_context: {
          slack_event_id: 'Ev07M3PQRSTU',
          slack_team_id: 'T0123ABCD',
          slack_api_app_id: 'A0456EFGH',
          event_types: ['slack.app_mention', 'message.received'],
        },
      });
      expect(done.events).toHaveLength(2);
      const delivered = (await receiver.waitForRequests(2)).map((r) => JSON.parse(r.body));
      const byType = Object.fromEntries(delivered.map((d) => [d.event_type, d]));
      expect(byType['slack.app_mention']).toMatchObject({
        data: { team_id: 'T0123ABCD', event_id: 'Ev07M3PQRSTU', event: { type: 'app_mention', channel: 'C0ABCDEF1' } },
        metadata: { inbound_event_id: id, source_id: sourceId, provider: 'slack' },
      });
      expect(byType['message.received'].data).toEqual({
        provider: 'slack',
        team_id: 'T0123ABCD',
        chat_id: 'C0ABCDEF1',
        chat_type: null,
        message_id: '1726139999.000100',
        thread_id: null,
        from: { id: 'U0789IJKL', username: null, name: null, first_name: null, last_name: null, phone: null },
        text: '<@U0BOT1234> статус заказа #1548?',
        message_type: 'text',
        sent_at: '2024-09-12T11:19:59.000Z',
        slack_event_type: 'app_mention',
        event_id: 'Ev07M3PQRSTU',
      });
    }

    it('on the ingest_url: 202, completed, slack.app_mention and message.received delivered', async () => {
      await subscribe();
      const source = await createSource({});
      const res = await post(urlOf(source), raw, slackHeaders(raw)).expect(202);
      expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });
      expect(res.body.meta.trace_id).toEqual(expect.any(String));
      await expectMention(res.body.data.webhook_event_id, source.source_id);
    });

    it('on /api/v1/ingest/{source_id}: the same events', async () => {
      await subscribe();
      const source = await createSource({});
      const res = await post(`/api/v1/ingest/${source.source_id}`, raw, slackHeaders(raw)).expect(202);
      await expectMention(res.body.data.webhook_event_id, source.source_id);
    });

    it('on the bare route, finds the source by config.api_app_id', async () => {
      await subscribe();
      const source = await createSource();
      const res = await post(ROUTE, raw, slackHeaders(raw)).expect(202);
      await expectMention(res.body.data.webhook_event_id, source.source_id);
    });

    it('on the bare route, finds a source configured by team_id alone', async () => {
      const source = await createSource({ team_id: 'T0123ABCD' });
      const res = await post(ROUTE, raw, slackHeaders(raw)).expect(202);
      expect((await inboundEvent(t.http, tenant.auth, res.body.data.webhook_event_id)).source_id).toBe(
        source.source_id,
      );
    });

    it('answers a Slack retry (same body, new signature, X-Slack-Retry-Num) 200 duplicate with the first id', async () => {
      const source = await createSource({});
      const first = await post(urlOf(source), raw, slackHeaders(raw)).expect(202);
      const retry = await post(urlOf(source), raw, {
        ...slackHeaders(raw, { ts: Math.floor(Date.now() / 1000) + 4 }),
        'X-Slack-Retry-Num': '1',
        'X-Slack-Retry-Reason': 'http_timeout',
      }).expect(200);
      expect(retry.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
      expect(await storedCount(source.source_id)).toBe(1);
    });

    it('refuses a wrong signing secret, a tampered body and the fixture’s own stale timestamp: 401, nothing stored', async () => {
      const source = await createSource({});
      const wrong = await post(urlOf(source), raw, slackHeaders(raw, { secret: 'another-signing-secret' })).expect(401);
      expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
      const tampered = Buffer.from(raw.toString('utf8').replace('#1548', '#1549'));
      await post(urlOf(source), tampered, slackHeaders(raw)).expect(401);
      const stale = await post(urlOf(source), raw, slackHeaders(raw, { ts: 1726140000 })).expect(401);
      expect(stale.body.error.message).toMatch(/tolerance/);
      expect(await storedCount(source.source_id)).toBe(0);
    });

    it('answers 404 for an app and workspace no source is configured with', async () => {
      await createSource({ api_app_id: 'A_OTHER', team_id: 'T_OTHER' });
      const res = await post(ROUTE, raw, slackHeaders(raw)).expect(404);
      expect(res.body.error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/A0456EFGH.*T0123ABCD/),
      });
    });
  });

  it('stores an event_callback without an event, then fails it with a readable error (no 5xx)', async () => {
    const source = await createSource({ max_retries: 0 });
    const raw = Buffer.from(
      JSON.stringify({ type: 'event_callback', api_app_id: 'A0456EFGH', team_id: 'T0123ABCD', event_id: 'Ev0BROKEN' }),
    );
    const res = await post(urlOf(source), raw, slackHeaders(raw)).expect(202);
    const failed = await settled(res.body.data.webhook_event_id, 'failed');
    expect(failed).toMatchObject({
      source_id: source.source_id,
      retry_count: 1,
      max_retries: 0,
      error: 'Slack event_callback Ev0BROKEN has no event with a type',
    });
  });

  describe('slash-command-official-test-vector (form body)', () => {
    const raw = body('slash-command-official-test-vector');
    const form = (opts = {}) => slackHeaders(raw, { contentType: 'application/x-www-form-urlencoded', ...opts });

    it('on the Slack route, found by team_id: stored and acknowledged with an empty 200, then slack.command', async () => {
      await subscribe(['slack.command']);
      const source = await createSource({ team_id: 'T1DC2JH3J' });
      const res = await post(ROUTE, raw, form()).expect(200);
      expect(res.text).toBe('');
      const [stored] = (
        await request(t.http).get(`/api/v1/inbound-events?source_id=${source.source_id}`).set(tenant.auth).expect(200)
      ).body.data;
      const done = await settled(stored.id, 'completed');
      expect(done).toMatchObject({ event_type: 'slack.command', event_subtype: '/webhook-collect', entity_key: null });
      const [delivered] = await receiver.waitForRequests(1);
      expect(JSON.parse(delivered.body).data).toMatchObject({
        command: '/webhook-collect',
        user_name: 'roadrunner',
        text: '',
      });
    });

    it('on /api/v1/ingest/{source_id}: 202 and slack.command', async () => {
      const source = await createSource({});
      const res = await post(`/api/v1/ingest/${source.source_id}`, raw, form()).expect(202);
      const done = await settled(res.body.data.webhook_event_id, 'completed');
      expect(done).toMatchObject({
        event_type: 'slack.command',
        execution_context: { slack_command: '/webhook-collect' },
      });
    });

    it('answers Slack’s ssl_check probe with 200 without looking for a source', async () => {
      const res = await request(t.http)
        .post(ROUTE)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('ssl_check=1&token=abc')
        .expect(200);
      expect(res.text).toBe('');
    });
  });
});
