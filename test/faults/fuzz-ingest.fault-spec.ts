import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { startApp, TestApp } from '../helpers/app';
import {
  checkRequest,
  closeAgent,
  contentType,
  encodedBody,
  formBody,
  assertProperty,
  hugeBody,
  jsonText,
  listen,
  mutatedObject,
  nastyString,
  pathSegment,
  pct,
  queryString,
  randomHeaders,
  rawBytes,
} from './fuzz';
import { createTenant, mustPost, Tenant } from './helpers';

type Provider = 'generic' | 'none' | 'github' | 'stripe' | 'slack' | 'telegram' | 'whatsapp' | 'kommo' | 'yclients';

/** Provider-shaped bodies the mutations start from. */
const SAMPLES: Record<Provider, Record<string, unknown>> = {
  generic: {
    event_type: 'order.created',
    event_id: 'ord-1',
    entity_type: 'order',
    entity_id: '42',
    occurred_at: '2025-01-09T12:00:05.123Z',
    order: { id: 42 },
  },
  none: { type: 'lead.updated', event_id: 'x-1', data: { a: [1, 2] } },
  github: { action: 'opened', issue: { id: 1, number: 7, title: 'Bug' }, repository: { id: 3, full_name: 'a/b' } },
  stripe: {
    id: 'evt_1',
    object: 'event',
    type: 'invoice.paid',
    created: 1_726_139_999,
    data: { object: { id: 'in_1', object: 'invoice', amount_paid: 1500, currency: 'usd' } },
  },
  slack: {
    type: 'event_callback',
    team_id: 'TFUZZ',
    api_app_id: 'AFUZZ',
    event_id: 'Ev01',
    event_time: 1_726_139_999,
    event: { type: 'app_mention', user: 'U1', text: 'hi', channel: 'C1', ts: '1726139999.000100' },
  },
  telegram: {
    update_id: 872_356_104,
    message: { message_id: 1, chat: { id: 5, type: 'private' }, date: 1_726_140_200, text: '/start promo' },
  },
  whatsapp: {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { phone_number_id: '1' },
              messages: [
                { id: 'wamid.1', from: '77011234567', timestamp: '1726140200', type: 'text', text: { body: 'hi' } },
              ],
            },
          },
        ],
      },
    ],
  },
  kommo: { account: { id: '4242', subdomain: 'fuzzcorp' }, leads: { status: [{ id: '1', status_id: '142' }] } },
  yclients: {
    company_id: 777,
    resource: 'record',
    resource_id: 596_792_980,
    status: 'create',
    data: { id: 596_792_980, datetime: '2025-07-13T12:10:00+05:00', services: [{ title: 'Haircut', cost: 4000 }] },
  },
};

const KOMMO_FORM =
  'leads%5Bstatus%5D%5B0%5D%5Bid%5D=23802129&leads%5Bstatus%5D%5B0%5D%5Bstatus_id%5D=142&account%5Bsubdomain%5D=fuzzcorp&account%5Bid%5D=4242';

/** A body for a provider: its sample mutated (JSON in some encoding), a form, raw bytes, or a huge one. */
function bodyFor(provider: Provider): fc.Arbitrary<{ body: Buffer; type: string | undefined }> {
  const json = mutatedObject(SAMPLES[provider])
    .map(jsonText)
    .chain((text) => fc.tuple(encodedBody(text), contentType));
  return fc
    .oneof(
      { weight: 8, arbitrary: json },
      {
        weight: 2,
        arbitrary: fc.tuple(
          provider === 'kommo'
            ? fc.oneof(
                formBody,
                formBody.map((b) => Buffer.concat([Buffer.from(`${KOMMO_FORM}&`), b])),
              )
            : formBody,
          fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8'),
        ),
      },
      { weight: 1, arbitrary: fc.tuple(rawBytes, contentType) },
      { weight: 1, arbitrary: fc.tuple(hugeBody, fc.constant('application/json')) },
    )
    .map(([body, type]) => ({ body, type }));
}

const hmacHex = (secret: string, ...parts: (string | Buffer)[]): string =>
  parts.reduce((h, p) => h.update(p), createHmac('sha256', secret)).digest('hex');

/**
 * Property-based fuzzing of every ingest route (docs/api.md) against the in-process app: random
 * and hostile bodies, encodings, content types, headers, paths and query strings, unsigned and
 * correctly signed. Every answer is below 500 and in the contract's envelope.
 */
describe('Fuzzing the ingest routes (fault)', () => {
  let t: TestApp;
  let port: number;
  let tenant: Tenant;
  const sources = {} as Record<Provider, { id: string; secret: string }>;

  beforeAll(async () => {
    t = await startApp({ APP_ROLE: 'api' });
    port = await listen(t.app.getHttpServer());
    const base = `http://127.0.0.1:${port}`;
    tenant = await createTenant(base);
    const create = async (provider: Provider, body: Record<string, unknown>): Promise<void> => {
      const data = await mustPost(base, tenant, '/api/v1/sources', { name: `fuzz ${provider}`, ...body }, 201);
      sources[provider] = { id: data.source_id, secret: data.secret };
    };
    await create('generic', {
      provider: 'generic',
      verification: { scheme: 'hmac-sha256', secret: 'generic-fuzz-secret' },
    });
    await create('none', {
      provider: 'generic',
      verification: { scheme: 'none' },
      config: { default_event_type: 'x.y' },
    });
    await create('github', { provider: 'github', verification: { scheme: 'github', secret: 'github-fuzz-secret' } });
    await create('stripe', {
      provider: 'stripe',
      verification: { scheme: 'stripe', secret: 'whsec_stripefuzzsecret' },
    });
    await create('slack', {
      provider: 'slack',
      verification: { scheme: 'slack', secret: 'slack-fuzz-secret' },
      config: { api_app_id: 'AFUZZ', team_id: 'TFUZZ' },
    });
    await create('telegram', {
      provider: 'telegram',
      verification: { scheme: 'telegram', secret: 'tg_fuzz_secret_0123' },
    });
    await create('whatsapp', {
      provider: 'whatsapp',
      verification: { scheme: 'whatsapp', secret: 'whatsapp-fuzz-secret' },
      config: { verify_token: 'fuzz-verify-token' },
    });
    await create('kommo', { provider: 'kommo', config: { account_id: '4242', subdomain: 'fuzzcorp' } });
    await create('yclients', { provider: 'yclients', config: { company_id: 777 } });
  });

  afterAll(async () => {
    closeAgent();
    await t?.close();
  });

  const ids = (): string[] => Object.values(sources).map((s) => s.id);

  /** Path and headers that authenticate `body` for a provider's source (`viaIncoming`: its other route). */
  function signed(
    provider: Provider,
    body: Buffer,
    viaIncoming: boolean,
    extra: string,
  ): { path: string; auth: [string, string][]; raw2xx: boolean } {
    const source = sources[provider];
    const ts = String(Math.floor(Date.now() / 1000));
    const auth: [string, string][] = [];
    let path = `/api/v1/ingest/${source.id}`;
    let raw2xx = false;
    switch (provider) {
      case 'generic':
        auth.push(
          ['x-webhook-timestamp', ts],
          ['x-webhook-signature', `sha256=${hmacHex(source.secret, `${ts}.`, body)}`],
        );
        if (viaIncoming) {
          path = `/api/v1/webhooks/incoming/order.created`;
          auth.push(['x-webhook-id', source.id]);
        }
        break;
      case 'none':
        auth.push(['x-webhook-event-id', pct(extra)]);
        if (viaIncoming) {
          path = `/api/v1/webhooks/incoming/${pct(extra) || 'message'}`;
          auth.push(['x-webhook-id', source.id]);
        }
        break;
      case 'github':
        auth.push(
          ['x-hub-signature-256', `sha256=${hmacHex(source.secret, body)}`],
          ['x-github-event', viaIncoming ? 'issues' : pct(extra)],
          ['x-github-delivery', pct(extra)],
        );
        break;
      case 'stripe':
        auth.push(['stripe-signature', `t=${ts},v1=${hmacHex(source.secret, `${ts}.`, body)}`]);
        break;
      case 'slack':
        auth.push(
          ['x-slack-request-timestamp', ts],
          ['x-slack-signature', `v0=${hmacHex(source.secret, `v0:${ts}:`, body)}`],
        );
        path = viaIncoming
          ? `/api/v1/integrations/slack/events`
          : `/api/v1/integrations/slack/events?source_id=${source.id}`;
        raw2xx = true;
        break;
      case 'telegram':
        auth.push(['x-telegram-bot-api-secret-token', source.secret]);
        path = `/api/v1/integrations/telegram/${source.id}`;
        break;
      case 'whatsapp':
        auth.push(['x-hub-signature-256', `sha256=${hmacHex(source.secret, body)}`]);
        path = `/api/v1/integrations/whatsapp/${source.id}`;
        break;
      case 'kommo':
        if (viaIncoming) auth.push(['x-org-id', '4242']);
        path = `/api/v1/integrations/kommo/webhook?token=${pct(source.secret)}`;
        break;
      case 'yclients':
        path = viaIncoming
          ? `/api/v1/integrations/yclients/webhook?token=${pct(source.secret)}`
          : `/api/v1/ingest/${source.id}?token=${pct(source.secret)}`;
        break;
    }
    return { path, auth, raw2xx };
  }

  it('answers any request to an ingest route below 500 and in the envelope', async () => {
    const route = fc.oneof(
      pathSegment(ids()).map((seg) => ({ method: 'POST', path: `/api/v1/ingest/${seg}`, raw2xx: false })),
      fc
        .tuple(pathSegment(['message', 'document', 'order.created']), fc.constantFrom(...ids(), 'src_x', ''))
        .map(([kind, id]) => ({
          method: 'POST',
          path: `/api/v1/webhooks/incoming/${kind}`,
          raw2xx: false,
          headers: id ? ([['x-webhook-id', id]] as [string, string][]) : [],
        })),
      queryString(['token', 'source_id']).map((q) => ({
        method: 'POST',
        path: `/api/v1/integrations/kommo/webhook${q}`,
        raw2xx: false,
      })),
      queryString(['token']).map((q) => ({
        method: 'POST',
        path: `/api/v1/integrations/yclients/webhook${q}`,
        raw2xx: false,
      })),
      queryString(['source_id']).map((q) => ({
        method: 'POST',
        path: `/api/v1/integrations/slack/events${q}`,
        raw2xx: true,
      })),
      pathSegment(ids()).map((seg) => ({
        method: 'POST',
        path: `/api/v1/integrations/telegram/${seg}`,
        raw2xx: false,
      })),
      pathSegment(ids()).map((seg) => ({
        method: 'POST',
        path: `/api/v1/integrations/whatsapp/${seg}`,
        raw2xx: false,
      })),
      fc
        .tuple(pathSegment(ids()), queryString(['hub.mode', 'hub.verify_token', 'hub.challenge']))
        .map(([seg, q]) => ({ method: 'GET', path: `/api/v1/integrations/whatsapp/${seg}${q}`, raw2xx: true })),
    );
    const provider = fc.constantFrom(...(Object.keys(SAMPLES) as Provider[]));
    await assertProperty(
      fc.asyncProperty(route, provider.chain(bodyFor), randomHeaders, async (r, { body, type }, headers) => {
        await checkRequest(
          port,
          {
            method: r.method,
            path: r.path,
            headers: [...((r as { headers?: [string, string][] }).headers ?? []), ...headers],
            contentType: r.method === 'GET' ? undefined : type,
            body: r.method === 'GET' ? undefined : body,
          },
          { raw2xx: r.raw2xx },
        );
      }),
    );
  });

  it('answers correctly signed requests with hostile bodies below 500 and in the envelope', async () => {
    const signedRequest = fc.constantFrom(...(Object.keys(SAMPLES) as Provider[])).chain((provider) =>
      fc.record({
        provider: fc.constant(provider),
        payload: bodyFor(provider),
        headers: randomHeaders,
        viaIncoming: fc.boolean(),
        extra: nastyString,
      }),
    );
    await assertProperty(
      fc.asyncProperty(signedRequest, async ({ provider, payload: { body, type }, headers, viaIncoming, extra }) => {
        const { path, auth, raw2xx } = signed(provider, body, viaIncoming, extra);
        await checkRequest(
          port,
          { method: 'POST', path, headers: [...auth, ...headers], contentType: type, body },
          { raw2xx },
        );
      }),
    );
  });

  it('stores or refuses identifiers PostgreSQL cannot store (NUL, lone surrogates), never 500', async () => {
    /** Fields that name the source, the event or the entity: looked up, deduplicated on, or stored as text. */
    const IDENTIFIERS: Record<Provider, string[]> = {
      generic: ['event_id', 'event_type', 'entity_type', 'entity_id'],
      none: ['event_id', 'type'],
      github: ['action', 'repository.full_name'],
      stripe: ['id', 'type'],
      slack: ['event_id', 'api_app_id', 'team_id', 'event.type'],
      telegram: ['update_id', 'message.text'],
      whatsapp: ['entry.0.id', 'entry.0.changes.0.value.messages.0.id'],
      kommo: ['account.id', 'account.subdomain'],
      yclients: ['company_id', 'resource', 'status'],
    };
    const unstorable = fc
      .tuple(fc.string({ maxLength: 4 }), fc.constantFrom('\u0000', '\ud800', '\udc00'), fc.string({ maxLength: 4 }))
      .map((parts) => parts.join(''));
    const request = fc.constantFrom(...(Object.keys(IDENTIFIERS) as Provider[])).chain((provider) =>
      fc.record({
        provider: fc.constant(provider),
        field: fc.constantFrom(...IDENTIFIERS[provider]),
        value: unstorable,
        form: fc.boolean(),
        viaIncoming: fc.boolean(),
      }),
    );
    await assertProperty(
      fc.asyncProperty(request, async ({ provider, field, value, form, viaIncoming }) => {
        const payload = structuredClone(SAMPLES[provider]);
        const keys = field.split('.');
        let node = payload;
        for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[keys[keys.length - 1]] = value;
        // the same fields as a PHP-style form (Kommo's format), or as JSON
        const body = form
          ? Buffer.from(
              `${keys[0]}${keys
                .slice(1)
                .map((k) => `%5B${k}%5D`)
                .join('')}=${pct(value)}&x=1`,
            )
          : Buffer.from(jsonText(payload));
        const { path, auth, raw2xx } = signed(provider, body, viaIncoming && provider !== 'kommo', 'x');
        await checkRequest(
          port,
          {
            method: 'POST',
            path,
            headers: auth,
            contentType: form ? 'application/x-www-form-urlencoded' : 'application/json',
            body,
          },
          { raw2xx },
        );
      }),
      100,
    );
  });
});
