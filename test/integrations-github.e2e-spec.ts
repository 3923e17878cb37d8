import { createHmac } from 'node:crypto';
import request from 'supertest';
import { loadFixture } from '../src/webhooks/verification/testing/provider-fixtures';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundCount, settledInbound } from './helpers/inbound';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '300ms',
};

/** The webhook secret the github/* fixtures are signed with (fixtures/SECRETS.md). */
const SECRET = 'test_github_webhook_secret';
const PING = loadFixture('github', 'ping-json');
const PING_DELIVERY = '4ae55e0e-a9d6-11eb-87d7-8f44c61441ec';

/** The fixture's headers as GitHub sent them, minus the ones the HTTP client sets itself. */
function wireHeaders(headers: Record<string, string>): Record<string, string> {
  const { host: _host, 'content-length': _length, ...rest } = headers;
  return rest;
}

/** What GitHub sends for a hook with the given secret: X-Hub-Signature-256 and the legacy sha1 one. */
function signedBy(secret: string, body: string | Buffer): Record<string, string> {
  return {
    'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    'X-Hub-Signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`,
  };
}

function githubHeaders(event: string, delivery: string, body: string | Buffer, contentType = 'application/json') {
  return {
    'Content-Type': contentType,
    'User-Agent': 'GitHub-Hookshot/5465ee1',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': delivery,
    'X-GitHub-Hook-ID': '294937131',
    'X-GitHub-Hook-Installation-Target-Type': 'repository',
    'X-GitHub-Hook-Installation-Target-ID': '363207517',
    ...signedBy(SECRET, body),
  };
}

/** The ping fixture as a hook with content type application/x-www-form-urlencoded sends it: payload=<JSON>. */
const PING_FORM = new URLSearchParams({ payload: PING.body.toString('utf8') }).toString();

const ISSUE_OPENED = JSON.stringify({
  action: 'opened',
  issue: {
    id: 2514468093,
    number: 42,
    title: 'Webhooks time out',
    state: 'open',
    created_at: '2024-09-12T11:05:00Z',
    updated_at: '2024-09-12T11:05:00Z',
  },
  repository: { id: 363207517, name: 'webhook-test', full_name: 'octo-org/webhook-test', private: false },
  sender: { login: 'octocat', id: 1, type: 'User' },
});

/** The body a subscriber receives (docs/api.md). */
interface Envelope {
  event_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

describe('GitHub webhooks through /api/v1/ingest/{source_id} (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(ENV);
    tenant = await createTenant(t.http, 'GitHub tenant');
    receiver = await new Receiver().start();
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'github events', url: receiver.url(), events: ['github.*'] })
      .expect(201);
  });

  afterAll(async () => {
    await receiver.stop();
    await t.close();
  });

  async function createSource(config: Record<string, unknown> = {}, secret = SECRET) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'octo-org/webhook-test', provider: 'github', verification: { scheme: 'github', secret }, config })
      .expect(201);
    return res.body.data as { source_id: string; ingest_url: string };
  }

  /** Posts `body` byte for byte: a Buffer is written as is, never re-serialised by the client. */
  const ingest = (sourceId: string, body: string | Buffer, headers: Record<string, string>) =>
    request(t.http)
      .post(`/api/v1/ingest/${sourceId}`)
      .set(headers)
      .serialize((raw: string | Buffer) => raw as string)
      .send(body);

  const settled = (id: string, status: 'completed' | 'failed') => settledInbound(t.http, tenant.auth, id, status);

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  /** The request the subscriber received for the event produced by inbound event `id`. */
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

  it('gives a github source the generic ingest URL to paste into GitHub', async () => {
    const source = await createSource();
    expect(source.ingest_url).toMatch(new RegExp(`/api/v1/ingest/${source.source_id}$`));
  });

  it('accepts the ping-json fixture as sent, stores github.ping about the hook and delivers it', async () => {
    const source = await createSource();
    const res = await ingest(source.source_id, PING.body, wireHeaders(PING.headers)).expect(202);
    expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });

    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done).toMatchObject({
      provider: 'github',
      event_type: 'github.ping',
      event_subtype: null,
      entity_type: 'hook',
      entity_id: '294937131',
      entity_key: 'github:octo-org/webhook-test:hook:294937131',
      dedup_key: PING_DELIVERY,
      retry_count: 0,
      error: null,
      payload: JSON.parse(PING.body.toString('utf8')),
      execution_context: {
        github_event: 'ping',
        github_action: null,
        github_delivery: PING_DELIVERY,
        github_hook_id: '294937131',
        body_encoding: 'json',
        occurred_at: '2024-09-12T11:00:00.000Z',
        event_types: ['github.ping'],
      },
    });
    expect(done.headers).toMatchObject({ 'x-github-event': 'ping', 'x-github-delivery': PING_DELIVERY });
    expect(done.events).toEqual([expect.objectContaining({ event_type: 'github.ping', entity_key: done.entity_key })]);

    const { request: received, envelope } = await deliveredFor(done.id);
    expect(received.headers['x-webhook-event']).toBe('github.ping');
    expect(envelope).toMatchObject({
      event_id: done.events[0].event_id,
      event_type: 'github.ping',
      data: {
        zen: 'Keep it logically awesome.',
        hook_id: 294937131,
        repository: { full_name: 'octo-org/webhook-test' },
        hookhub: {
          event: 'ping',
          action: null,
          delivery_id: PING_DELIVERY,
          hook_id: '294937131',
          target_type: 'repository',
          target_id: '363207517',
        },
      },
      metadata: { inbound_event_id: done.id, source_id: source.source_id, provider: 'github' },
    });
  });

  it('accepts a form-encoded delivery (payload=<JSON>) signed over the form bytes, with the same event', async () => {
    const source = await createSource();
    const headers = githubHeaders('ping', PING_DELIVERY, PING_FORM, 'application/x-www-form-urlencoded');
    const res = await ingest(source.source_id, PING_FORM, headers).expect(202);

    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done).toMatchObject({
      event_type: 'github.ping',
      entity_type: 'hook',
      entity_id: '294937131',
      entity_key: 'github:octo-org/webhook-test:hook:294937131',
      dedup_key: PING_DELIVERY,
      payload: { payload: PING.body.toString('utf8') },
      execution_context: { body_encoding: 'form', github_event: 'ping' },
    });
    const { envelope } = await deliveredFor(done.id);
    expect(envelope.data).toMatchObject({ zen: 'Keep it logically awesome.', hook: { id: 294937131 } });
    expect(envelope.data.payload).toBeUndefined();
  });

  it('puts the action in event_subtype and keys an issue by repository and number', async () => {
    const source = await createSource();
    const delivery = '9b2c7f40-70e1-11ef-8a3e-2f5c4b1d0e77';
    const res = await ingest(source.source_id, ISSUE_OPENED, githubHeaders('issues', delivery, ISSUE_OPENED)).expect(
      202,
    );
    const done = await settled(res.body.data.webhook_event_id, 'completed');
    expect(done).toMatchObject({
      event_type: 'github.issues',
      event_subtype: 'issues_opened',
      entity_type: 'issue',
      entity_id: '42',
      entity_key: 'github:octo-org/webhook-test:issue:42',
      dedup_key: delivery,
      execution_context: { github_action: 'opened', occurred_at: '2024-09-12T11:05:00.000Z' },
    });
    const filtered = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${source.source_id}&event_subtype=issues_opened`)
      .set(tenant.auth)
      .expect(200);
    expect(filtered.body.data.map((e: { id: string }) => e.id)).toEqual([done.id]);
    const { envelope } = await deliveredFor(done.id);
    expect(envelope).toMatchObject({
      event_type: 'github.issues',
      data: { action: 'opened', issue: { number: 42, title: 'Webhooks time out' }, hookhub: { action: 'opened' } },
    });
  });

  it('answers a redelivery (same X-GitHub-Delivery) 200 duplicate with the first id; a new delivery id is new', async () => {
    const source = await createSource();
    const first = await ingest(source.source_id, PING.body, wireHeaders(PING.headers)).expect(202);
    const again = await ingest(source.source_id, PING.body, wireHeaders(PING.headers)).expect(200);
    expect(again.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
    const asForm = githubHeaders('ping', PING_DELIVERY, PING_FORM, 'application/x-www-form-urlencoded');
    const formAgain = await ingest(source.source_id, PING_FORM, asForm).expect(200);
    expect(formAgain.body.data.webhook_event_id).toBe(first.body.data.webhook_event_id);
    expect(await storedCount(source.source_id)).toBe(1);

    const other = githubHeaders('ping', '5b7e9a10-a9d6-11eb-9f00-1c2b3d4e5f60', PING.body);
    const fresh = await ingest(source.source_id, PING.body, other).expect(202);
    expect(fresh.body.data.webhook_event_id).not.toBe(first.body.data.webhook_event_id);
    expect(await storedCount(source.source_id)).toBe(2);
  });

  it('orders the events of one pull request by its updated_at: a late, older edit is delivered marked stale', async () => {
    const source = await createSource();
    const pullRequest = (action: string, updatedAt: string) =>
      JSON.stringify({
        action,
        number: 7,
        pull_request: { id: 2077186453, number: 7, title: `after ${action}`, updated_at: updatedAt },
        repository: { id: 363207517, full_name: 'octo-org/order-test' },
        sender: { login: 'octocat', id: 1 },
      });
    const closed = pullRequest('closed', '2024-09-13T08:00:01Z');
    const edited = pullRequest('edited', '2024-09-13T07:58:00Z');

    const first = await ingest(
      source.source_id,
      closed,
      githubHeaders('pull_request', 'c1a0e000-0000-4000-8000-000000000001', closed),
    ).expect(202);
    const firstDone = await settled(first.body.data.webhook_event_id, 'completed');
    const late = await ingest(
      source.source_id,
      edited,
      githubHeaders('pull_request', 'c1a0e000-0000-4000-8000-000000000002', edited),
    ).expect(202);
    const lateDone = await settled(late.body.data.webhook_event_id, 'completed');

    expect(firstDone).toMatchObject({
      event_subtype: 'pull_request_closed',
      entity_key: 'github:octo-org/order-test:pull_request:7',
    });
    expect(firstDone.execution_context.stale).toBeUndefined();
    expect(lateDone).toMatchObject({
      event_subtype: 'pull_request_edited',
      entity_key: 'github:octo-org/order-test:pull_request:7',
      execution_context: {
        occurred_at: '2024-09-13T07:58:00.000Z',
        stale: true,
        stale_events: [{ event_type: 'github.pull_request', reason: 'older_than_seen' }],
      },
    });
    const { envelope } = await deliveredFor(lateDone.id);
    expect(envelope.metadata).toMatchObject({ stale: true, stale_reason: 'older_than_seen' });
  });

  describe('refusals store nothing', () => {
    let source: { source_id: string };

    beforeEach(async () => {
      source = await createSource();
    });

    afterEach(async () => {
      expect(await storedCount(source.source_id)).toBe(0);
    });

    it('401 INVALID_SIGNATURE for a signature made with another secret', async () => {
      const headers = { ...wireHeaders(PING.headers), ...signedBy('not-the-hook-secret', PING.body) };
      const res = await ingest(source.source_id, PING.body, headers).expect(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
    });

    it('401 INVALID_SIGNATURE for a body changed after signing', async () => {
      const changed = Buffer.from(PING.body.toString('utf8').replace('"active":true', '"active":false'));
      const res = await ingest(source.source_id, changed, wireHeaders(PING.headers)).expect(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
    });

    it('401 INVALID_SIGNATURE with only the legacy sha1 signature (X-Hub-Signature-256 is required)', async () => {
      const { 'x-hub-signature-256': _sha256, ...headers } = wireHeaders(PING.headers);
      const res = await ingest(source.source_id, PING.body, headers).expect(401);
      expect(res.body.error).toMatchObject({
        code: 'INVALID_SIGNATURE',
        message: expect.stringMatching(/X-Hub-Signature-256/),
      });
    });

    it('415 for the docs test vector as sent (text/plain), 400 INVALID_JSON once it passes verification', async () => {
      const vector = loadFixture('github', 'official-test-vector');
      const plain = await ingest(source.source_id, vector.body, wireHeaders(vector.headers)).expect(415);
      expect(plain.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');

      const docs = await createSource({}, "It's a Secret to Everybody");
      const asJson = { ...wireHeaders(vector.headers), 'content-type': 'application/json' };
      const res = await ingest(docs.source_id, vector.body, asJson).expect(400);
      expect(res.body.error.code).toBe('INVALID_JSON');
      expect(await storedCount(docs.source_id)).toBe(0);
    });
  });

  it('404 NOT_FOUND for an unknown source id', async () => {
    const res = await ingest('src_00000000000000000000000000', PING.body, wireHeaders(PING.headers)).expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    [
      'no X-GitHub-Event header',
      ISSUE_OPENED,
      'application/json',
      null,
      /no X-GitHub-Event header: GitHub names the event only in that header/,
    ],
    [
      'a form body whose payload is not JSON',
      'payload=%7B%22action%22%3A',
      'application/x-www-form-urlencoded',
      'issues',
      /the payload form field is not valid JSON/,
    ],
    [
      'a form body without payload',
      'action=opened&number=42',
      'application/x-www-form-urlencoded',
      'issues',
      /the form body has no payload field/,
    ],
  ])(
    'stores a verified body with %s, then marks it failed with a readable error',
    async (_case, body, type, event, error) => {
      const source = await createSource({ max_retries: 0 });
      const headers: Record<string, string> = githubHeaders(
        event ?? 'x',
        `bad-${Date.now()}-${Math.random()}`,
        body,
        type,
      );
      if (!event) delete headers['X-GitHub-Event'];
      const res = await ingest(source.source_id, body, headers).expect(202);
      const failed = await settled(res.body.data.webhook_event_id, 'failed');
      expect(failed).toMatchObject({
        retry_count: 1,
        max_retries: 0,
        event_type: null,
        error: expect.stringMatching(error),
      });
      expect(failed.events).toEqual([]);
    },
  );
});
