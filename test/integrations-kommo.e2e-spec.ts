import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parsePayload } from '../src/webhooks/payload';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';
import { inboundCount, inboundEvent } from './helpers/inbound';
import { eventually, ReceivedRequest, Receiver } from './helpers/receiver';

const ENV = {
  ALLOW_HTTP_URLS: 'true',
  ALLOW_PRIVATE_URLS: 'true',
  INBOUND_RETRY_SCHEDULE: '100ms',
  SWEEP_INTERVAL: '300ms',
};

const ROUTE = '/api/v1/integrations/kommo/webhook';
const FIXTURES = join(__dirname, 'fixtures', 'providers', 'kommo');
/** The channel secret of the Chats API fixture (test/fixtures/providers/SECRETS.md). */
const CHATS_SECRET = '5a44c5dff55f3c15a4cce8d7c4cc27e207c7e189';
/** Headers a provider sends that the test forwards (Host, Content-Length and Connection are the client's). */
const FORWARDED = ['content-type', 'user-agent', 'accept', 'x-signature'];

interface Fixture {
  body: Buffer;
  headers: Record<string, string>;
}

function fixture(name: string): Fixture {
  const headers: Record<string, string> = {};
  for (const line of readFileSync(join(FIXTURES, `${name}.headers`), 'utf8').split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const header = line.slice(0, at).trim();
    if (FORWARDED.includes(header.toLowerCase())) headers[header] = line.slice(at + 1).trim();
  }
  return { body: readFileSync(join(FIXTURES, `${name}.body`)), headers };
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'amoCRM-WebHook-client/1.0' };

/** A PHP-style form body as Kommo writes it: brackets percent-encoded. */
function form(pairs: Record<string, string>): Buffer {
  const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return Buffer.from(
    Object.entries(pairs)
      .map(([k, v]) => `${encode(k)}=${encode(v)}`)
      .join('&'),
  );
}

interface CreatedSource {
  source_id: string;
  ingest_url: string;
  secret: string | null;
}

describe('Kommo integration (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let receiver: Receiver;

  beforeAll(async () => {
    t = await startApp(ENV);
    tenant = await createTenant(t.http, 'Kommo tenant');
    receiver = await new Receiver().start();
    await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'everything', url: receiver.url(), events: ['*'] })
      .expect(201);
  });

  afterAll(async () => {
    await receiver?.stop();
    await t?.close();
  });

  async function createSource(config: Record<string, unknown>, verification?: Record<string, unknown>) {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'Kommo', provider: 'kommo', config, ...(verification ? { verification } : {}) });
    expect(res.status).toBe(201);
    return res.body.data as CreatedSource;
  }

  /** The path and query of a source's ingest_url (with its ?token=). */
  const pathOf = (source: CreatedSource) => {
    const url = new URL(source.ingest_url);
    return `${url.pathname}${url.search}`;
  };

  /** Posts the exact bytes (superagent would serialise a Buffer; the UTF-8 string is the same bytes). */
  function post(path: string, body: Buffer, headers: Record<string, string>) {
    return request(t.http).post(path).set(headers).send(body.toString('utf8'));
  }

  const inbound = (id: string) => inboundEvent(t.http, tenant.auth, id);

  /** Waits until the inbound event is processed, and checks how it ended (showing its error otherwise). */
  async function settled(id: string, status: 'completed' | 'failed' = 'completed') {
    const e = await eventually(
      async () => {
        const current = await inbound(id);
        return current.status === 'completed' || current.status === 'failed' ? current : undefined;
      },
      15_000,
      `inbound event ${id} to be processed`,
    );
    expect({ status: e.status, error: e.error }).toEqual({
      status,
      error: status === 'failed' ? expect.any(String) : null,
    });
    return e;
  }

  const storedCount = (sourceId: string) => inboundCount(t.http, tenant.auth, sourceId);

  /** The deliveries the subscriber got for one inbound event, in event order. */
  async function deliveredFor(inboundId: string, count: number) {
    return eventually(async () => {
      const mine = receiver.requests
        .map((r: ReceivedRequest) => JSON.parse(r.body))
        .filter((envelope) => envelope.metadata?.inbound_event_id === inboundId);
      return mine.length >= count ? mine : undefined;
    });
  }

  it('documents the route in OpenAPI under the integrations tag', async () => {
    const res = await request(t.http).get('/docs-json').expect(200);
    const operation = res.body.paths[ROUTE]?.post;
    expect(operation).toMatchObject({ tags: ['integrations'] });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '202', '401', '404']));
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['X-Org-Id', 'token']),
    );
  });

  describe('sources', () => {
    it('gives a source that names its account the provider route with ?token=, and /ingest/{id} otherwise', async () => {
      const named = await createSource({ account_id: '10000001' });
      const url = new URL(named.ingest_url);
      expect(url.pathname).toBe(ROUTE);
      expect(url.searchParams.get('token')).toBe(named.secret);

      const unnamed = await createSource({});
      expect(new URL(unnamed.ingest_url).pathname).toBe(`/api/v1/ingest/${unnamed.source_id}`);

      const chats = await createSource({ account_id: '10000002' }, { scheme: 'kommo-chats', secret: CHATS_SECRET });
      expect(new URL(chats.ingest_url).pathname).toBe(`/api/v1/ingest/${chats.source_id}`);
      expect(new URL(chats.ingest_url).searchParams.get('token')).toBeNull();
    });
  });

  const CASES = [
    {
      name: 'lead-status-change',
      account: '29013640',
      type: 'lead.status_changed',
      subtype: 'lead_status_changed',
      entity: 'lead',
      id: '23802129',
      trigger: 'stage_changed',
      data: {
        lead: { name: 'Заявка с сайта #1548', price: '15000', status_id: '47873533', old_status_id: '47888833' },
      },
    },
    {
      name: 'contact-add',
      account: '29013640',
      type: 'contact.created',
      subtype: 'contact_created',
      entity: 'contact',
      id: '10952709',
      trigger: 'contact_created',
      data: {
        contact: {
          name: 'Иван Петров',
          custom_fields: [{ code: 'PHONE', values: [{ value: '+79161234567', enum: '311321' }] }],
        },
      },
    },
    {
      name: 'incoming-chat-message',
      account: '31257294',
      type: 'message.received',
      subtype: 'message_received',
      entity: 'message',
      id: 'd3bac6d3-1b5e-40c2-a054-4e0cfe283edb',
      trigger: 'message_received',
      data: { message: { text: 'Здравствуйте! Можно записаться на завтра в 10:00?', origin: 'telegram' } },
    },
  ];

  async function expectProcessed(id: string, c: (typeof CASES)[number]) {
    const done = await settled(id);
    expect(done).toMatchObject({
      status: 'completed',
      provider: 'kommo',
      event_type: c.type,
      event_subtype: c.subtype,
      entity_type: c.entity,
      entity_id: c.id,
      entity_key: `kommo:${c.account}:${c.entity}:${c.id}`,
      execution_context: {
        trigger: c.trigger,
        triggers: [c.trigger],
        kommo: { family: 'crm', account: { id: c.account } },
        event_types: [c.type],
      },
      headers: { 'user-agent': 'amoCRM-WebHook-client/1.0' },
    });
    expect(done.events).toHaveLength(1);
    expect(done.payload.account.id).toBe(c.account);
    expect(done.dedup_key).toMatch(new RegExp(`^kommo:${c.account}:`));
    const [delivered] = await deliveredFor(id, 1);
    expect(delivered).toMatchObject({
      event_type: c.type,
      event_id: done.events[0].event_id,
      data: { account: { id: c.account }, ...c.data },
    });
  }

  describe('fixtures through the provider route, found by account[id]', () => {
    let byAccount: Record<string, CreatedSource>;

    beforeAll(async () => {
      byAccount = {
        '29013640': await createSource({ account_id: '29013640', subdomain: 'examplecorp' }),
        '31257294': await createSource({ account_id: '31257294' }),
      };
    });

    it.each(CASES)('$name → 202, then $type delivered', async (c) => {
      const fx = fixture(c.name);
      const source = byAccount[c.account];
      expect(pathOf(source).startsWith(`${ROUTE}?token=`)).toBe(true);
      const res = await post(pathOf(source), fx.body, fx.headers).expect(202);
      expect(res.body.data).toEqual({ webhook_event_id: expect.stringMatching(/^in_/), status: 'accepted' });
      const stored = await inbound(res.body.data.webhook_event_id);
      expect(stored.source_id).toBe(source.source_id);
      expect(stored.payload).toEqual(parsePayload(fx.body, 'form'));
      await expectProcessed(res.body.data.webhook_event_id, c);
    });
  });

  describe('fixtures through /api/v1/ingest/{source_id}', () => {
    let source: CreatedSource;

    beforeAll(async () => {
      source = await createSource({});
    });

    it.each(CASES)('$name → 202, then $type delivered', async (c) => {
      const fx = fixture(c.name);
      const res = await post(`/api/v1/ingest/${source.source_id}?token=${source.secret}`, fx.body, fx.headers).expect(
        202,
      );
      expect(res.body.data.status).toBe('accepted');
      await expectProcessed(res.body.data.webhook_event_id, c);
    });
  });

  describe('Chats API hooks (kommo-chats, X-Signature)', () => {
    const fx = fixture('chats-api-outgoing-message-v2');
    const messageId = '0371a0ff-b78a-4c7b-8538-a7d547e10692';

    async function expectMessageSent(id: string, account: string) {
      const done = await settled(id);
      expect(done).toMatchObject({
        event_type: 'message.sent',
        event_subtype: 'message_sent',
        entity_type: 'message',
        entity_id: messageId,
        entity_key: `kommo:${account}:message:${messageId}`,
        dedup_key: `kommo-chats:52e591f7-c98f-4255-8495-827210138c81:message:${messageId}`,
        execution_context: { trigger: 'message_sent', kommo: { family: 'chats' } },
      });
      const [delivered] = await deliveredFor(id, 1);
      expect(delivered).toMatchObject({
        event_type: 'message.sent',
        data: { message: { id: messageId, text: 'Добрый день! Ваша запись подтверждена.' } },
      });
    }

    it('the fixture through /ingest/{source_id} → message.sent', async () => {
      const source = await createSource({ account_id: '40000001' }, { scheme: 'kommo-chats', secret: CHATS_SECRET });
      const res = await post(`/api/v1/ingest/${source.source_id}`, fx.body, fx.headers).expect(202);
      await expectMessageSent(res.body.data.webhook_event_id, '40000001');
    });

    it('the fixture through the provider route, the account named by X-Org-Id → message.sent', async () => {
      const source = await createSource({ account_id: '40000002' }, { scheme: 'kommo-chats', secret: CHATS_SECRET });
      const res = await post(ROUTE, fx.body, { ...fx.headers, 'X-Org-Id': '40000002' }).expect(202);
      expect((await inbound(res.body.data.webhook_event_id)).source_id).toBe(source.source_id);
      await expectMessageSent(res.body.data.webhook_event_id, '40000002');
    });

    it('401 INVALID_SIGNATURE for a wrong X-Signature, nothing stored', async () => {
      const source = await createSource({ account_id: '40000003' }, { scheme: 'kommo-chats', secret: CHATS_SECRET });
      const wrong = createHmac('sha1', 'another-channel-secret').update(fx.body).digest('hex');
      const res = await post(`/api/v1/ingest/${source.source_id}`, fx.body, { ...fx.headers, 'X-Signature': wrong });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
      const viaRoute = await post(ROUTE, fx.body, { ...fx.headers, 'X-Org-Id': '40000003', 'X-Signature': wrong });
      expect(viaRoute.status).toBe(401);
      expect(await storedCount(source.source_id)).toBe(0);
    });
  });

  describe('finding the source', () => {
    it('by X-Org-Id (account id or subdomain) when the body names no account', async () => {
      const source = await createSource({ account_id: '50000001', subdomain: 'orgcorp' });
      const body = form({
        'leads[add][0][id]': '9',
        'leads[add][0][name]': 'Новая',
        'leads[add][0][updated_at]': '1726139600',
      });
      const byId = await post(`${ROUTE}?token=${source.secret}`, body, { ...FORM, 'X-Org-Id': '50000001' }).expect(202);
      const done = await settled(byId.body.data.webhook_event_id);
      expect(done).toMatchObject({
        source_id: source.source_id,
        event_type: 'lead.created',
        entity_key: 'kommo:50000001:lead:9',
        execution_context: { trigger: 'lead_created' },
      });
      const bySubdomain = await post(`${ROUTE}?token=${source.secret}`, body, { ...FORM, 'X-Org-Id': 'orgcorp' });
      expect(bySubdomain.status).toBe(200);
      expect(bySubdomain.body.data).toEqual({ webhook_event_id: byId.body.data.webhook_event_id, status: 'duplicate' });
    });

    it('by account[subdomain] for a legacy body without account[id]', async () => {
      const source = await createSource({ subdomain: 'test000002' });
      const legacy =
        'leads%5Bstatus%5D%5B0%5D%5Bid%5D=31926520&leads%5Bstatus%5D%5B0%5D%5Bname%5D=Some+test+lead&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=10216994&leads%5Bstatus%5D%5B0%5D%5Bprice%5D=1000&leads%5Bstatus%5D%5B0%5D%5Blast_modified%5D=1456820780&leads%5Bstatus%5D%5B0%5D%5Bold_status_id%5D=10216995&account%5Bsubdomain%5D=test000002';
      const res = await post(`${ROUTE}?token=${source.secret}`, Buffer.from(legacy), FORM).expect(202);
      const done = await settled(res.body.data.webhook_event_id);
      expect(done).toMatchObject({
        source_id: source.source_id,
        event_type: 'lead.status_changed',
        entity_key: 'kommo:test000002:lead:31926520',
      });
    });

    it('404 NOT_FOUND for an unknown account, an unknown X-Org-Id, and a same-named subdomain of another account', async () => {
      const source = await createSource({ account_id: '50000002', subdomain: 'twincorp' });
      const unknown = form({ 'leads[add][0][id]': '1', 'account[id]': '99999999', 'account[subdomain]': 'nobody' });
      const res = await post(`${ROUTE}?token=${source.secret}`, unknown, FORM);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringMatching(/account\[id\]=99999999/),
      });

      const byHeader = await post(`${ROUTE}?token=${source.secret}`, unknown, { ...FORM, 'X-Org-Id': 'nobody-else' });
      expect(byHeader.status).toBe(404);
      expect(byHeader.body.error.message).toMatch(/X-Org-Id/);

      // twincorp.kommo.com is not twincorp.amocrm.ru: the subdomain matches, the account id does not
      const twin = form({ 'leads[add][0][id]': '1', 'account[id]': '50000003', 'account[subdomain]': 'twincorp' });
      expect((await post(`${ROUTE}?token=${source.secret}`, twin, FORM)).status).toBe(404);

      const anonymous = await post(`${ROUTE}?token=${source.secret}`, form({ 'leads[add][0][id]': '1' }), FORM);
      expect(anonymous.status).toBe(404);
      expect(await storedCount(source.source_id)).toBe(0);
    });

    it('403 FORBIDDEN when the account’s source is disabled', async () => {
      const source = await createSource({ account_id: '50000004' });
      await request(t.http)
        .patch(`/api/v1/sources/${source.source_id}`)
        .set(tenant.auth)
        .send({ active: false })
        .expect(200);
      const res = await post(
        `${ROUTE}?token=${source.secret}`,
        form({ 'leads[add][0][id]': '1', 'account[id]': '50000004' }),
        FORM,
      );
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    });
  });

  describe('refusals', () => {
    let source: CreatedSource;
    const fx = fixture('lead-status-change');

    beforeAll(async () => {
      source = await createSource({ account_id: '50000006' });
    });

    it('401 INVALID_SIGNATURE for a wrong or missing ?token=, nothing stored', async () => {
      const other = await createSource({ account_id: '50000005' });
      const body = form({ 'leads[add][0][id]': '1', 'account[id]': '50000005' });
      const wrong = await post(`${ROUTE}?token=not-the-token`, body, FORM);
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
      const missing = await post(ROUTE, body, FORM);
      expect(missing.status).toBe(401);
      expect(missing.body.error.message).toMatch(/token/);
      const viaIngest = await post(`/api/v1/ingest/${other.source_id}?token=${source.secret}`, body, FORM);
      expect(viaIngest.status).toBe(401);
      expect(await storedCount(other.source_id)).toBe(0);
    });

    it('415 UNSUPPORTED_MEDIA_TYPE for a body that is neither form nor JSON', async () => {
      const res = await post(`${ROUTE}?token=${source.secret}`, fx.body, { 'Content-Type': 'text/plain' });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('duplicates and new changes', () => {
    it('a Kommo retry of the same body is 200 duplicate with the first id; a new change of the lead is accepted', async () => {
      const source = await createSource({ account_id: '60000001' });
      const change = (updatedAt: string, status: string) =>
        form({
          'leads[status][0][id]': '700',
          'leads[status][0][status_id]': status,
          'leads[status][0][old_status_id]': '10',
          'leads[status][0][updated_at]': updatedAt,
          'account[subdomain]': 'dupcorp',
          'account[id]': '60000001',
        });
      const path = pathOf(source);
      const first = await post(path, change('1726139530', '20'), FORM).expect(202);
      const retry = await post(path, change('1726139530', '20'), FORM).expect(200);
      expect(retry.body.data).toEqual({ webhook_event_id: first.body.data.webhook_event_id, status: 'duplicate' });
      const viaIngest = await post(
        `/api/v1/ingest/${source.source_id}?token=${source.secret}`,
        change('1726139530', '20'),
        FORM,
      );
      expect(viaIngest.status).toBe(200);
      expect(viaIngest.body.data.webhook_event_id).toBe(first.body.data.webhook_event_id);

      const next = await post(path, change('1726139590', '142'), FORM).expect(202);
      expect(next.body.data.webhook_event_id).not.toBe(first.body.data.webhook_event_id);
      expect(await storedCount(source.source_id)).toBe(2);

      const won = await settled(next.body.data.webhook_event_id);
      expect(won).toMatchObject({
        event_type: 'lead.status_changed',
        entity_key: 'kommo:60000001:lead:700',
        execution_context: {
          trigger: 'stage_changed',
          triggers: ['stage_changed', 'deal_won'],
          event_types: ['lead.status_changed', 'deal.won'],
        },
      });
      const delivered = await deliveredFor(next.body.data.webhook_event_id, 2);
      expect(delivered.map((d: { event_type: string }) => d.event_type).sort()).toEqual([
        'deal.won',
        'lead.status_changed',
      ]);
      expect(delivered.every((d: { data: { lead: { status_id: string } } }) => d.data.lead.status_id === '142')).toBe(
        true,
      );
    });
  });

  describe('bodies the normaliser cannot use', () => {
    it('a body that parses but has no item id is stored, then failed with a readable error', async () => {
      const source = await createSource({ account_id: '60000002', max_retries: 0 });
      const body = form({
        'leads[status][0][name]': 'no id',
        'leads[status][0][status_id]': '142',
        'account[id]': '60000002',
      });
      const res = await post(pathOf(source), body, FORM).expect(202);
      const failed = await settled(res.body.data.webhook_event_id, 'failed');
      expect(failed).toMatchObject({
        status: 'failed',
        retry_count: 1,
        max_retries: 0,
        error: 'leads[status][0][id] is missing: a Kommo item needs its id',
        payload: { leads: { status: [{ name: 'no id', status_id: '142' }] } },
      });
    });

    it('a form body with no Kommo entity is stored, then failed, never a 5xx', async () => {
      const source = await createSource({ max_retries: 0 });
      const res = await post(`/api/v1/ingest/${source.source_id}?token=${source.secret}`, form({ foo: 'bar' }), FORM);
      expect(res.status).toBe(202);
      const failed = await settled(res.body.data.webhook_event_id, 'failed');
      expect(failed.error).toMatch(/^not a Kommo webhook/);
    });
  });
});
