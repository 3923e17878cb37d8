import fc from 'fast-check';
import { startApp, TestApp } from '../helpers/app';
import {
  checkRequest,
  closeAgent,
  contentType,
  deepJson,
  encodedBody,
  assertProperty,
  headerValue,
  hugeBody,
  jsonText,
  listen,
  mutatedObject,
  nastyString,
  nastyValue,
  pathSegment,
  queryString,
  randomHeaders,
  rawBytes,
  RawJson,
} from './fuzz';
import { createTenant, mustPost, Tenant } from './helpers';

/** Valid bodies of the management API (docs/api.md) that the mutations start from. */
const VALID = {
  webhook: {
    name: 'CRM',
    url: 'https://example.com/hook',
    events: ['deal.won', 'task.*'],
    secret: 'a-secret-of-at-least-16',
    active: true,
    description: 'fuzz',
    metadata: { team: 'sales' },
    headers: { 'X-Custom': 'yes' },
    timeout_ms: 5000,
    rate_limit_per_second: 10,
    payload_template: { text: 'Deal {{data.title}}', kind: '{{event_type}}' },
    ordered: false,
  },
  event: {
    event_type: 'deal.won',
    data: { deal_id: 42, amount: '1500.00', nested: { a: [1, 2, { b: null }] } },
    metadata: { source: 'crm' },
    entity_key: 'crm:acme:deal:42',
    idempotency_key: 'idem-1',
  },
  source: {
    name: 'orders',
    provider: 'generic',
    verification: { scheme: 'hmac-sha256', secret: 'source-secret-123', header: 'X-Signature', tolerance_s: 300 },
    config: { rate_limit_per_second: 50, max_retries: 3, default_event_type: 'order.created' },
    active: true,
  },
  rule: {
    name: 'Bookings',
    event_types: ['record.created'],
    conditions: [{ path: 'data.status_id', op: 'eq', value: 142 }],
    channel: 'telegram',
    target: '-100123',
    template: 'New booking {{data.id}} at {{datetime data.datetime}}',
    parse_mode: 'HTML',
    locale: 'ru',
    timezone: 'Asia/Almaty',
    credentials: { bot_token: '123:abc' },
    suppression: { enabled: true, bot_marker: '#bot', active_client_minutes: 5 },
    active: true,
  },
};

/** Where strings and nested values go in each valid body (dotted paths; a number is an array index). */
const FIELDS: Record<keyof typeof VALID, { strings: string[]; nested: string[] }> = {
  webhook: {
    strings: [
      'name',
      'url',
      'description',
      'secret',
      'events.0',
      'headers.X-Custom',
      'metadata.team',
      'payload_template.text',
    ],
    nested: ['metadata', 'payload_template', 'headers', 'events', 'name'],
  },
  event: {
    strings: ['event_type', 'idempotency_key', 'entity_key', 'data.amount', 'metadata.source'],
    nested: ['data', 'metadata', 'data.nested', 'entity_key'],
  },
  source: {
    strings: ['name', 'verification.secret', 'verification.header', 'config.default_event_type', 'provider'],
    nested: ['config', 'verification', 'name'],
  },
  rule: {
    strings: [
      'name',
      'target',
      'template',
      'locale',
      'timezone',
      'event_types.0',
      'conditions.0.path',
      'conditions.0.value',
      'credentials.bot_token',
      'suppression.bot_marker',
    ],
    nested: ['conditions', 'conditions.0.value', 'credentials', 'suppression', 'template'],
  },
};

const ROUTES: Record<keyof typeof VALID, { create: string; update?: (ids: Record<string, string>) => string }> = {
  webhook: { create: '/api/v1/webhooks', update: (ids) => `/api/v1/webhooks/${ids.webhook}` },
  event: { create: '/api/v1/events' },
  source: { create: '/api/v1/sources', update: (ids) => `/api/v1/sources/${ids.source}` },
  rule: { create: '/api/v1/notification-rules', update: (ids) => `/api/v1/notification-rules/${ids.rule}` },
};

/** A copy of `body` with `value` at the dotted `path`. */
function withPath(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
  return copy;
}

/** A JSON body from a valid one, mutated, nested (a field holding a deep value), in some encoding. */
function bodyFrom(valid: Record<string, unknown>): fc.Arbitrary<{ body: Buffer; type: string | undefined }> {
  const value = fc.oneof(
    { weight: 8, arbitrary: mutatedObject(valid) },
    // a nested field of a valid body holding something hostile (deep, huge, mistyped)
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...Object.keys(valid)), fc.oneof(deepJson, nastyValue))
        .map(([key, v]) => ({ ...valid, [key]: v instanceof RawJson ? v : { inner: v } })),
    },
  );
  const json = value.map(jsonText).chain((text) => fc.tuple(encodedBody(text), contentType));
  return fc
    .oneof(
      { weight: 10, arbitrary: json },
      { weight: 1, arbitrary: fc.tuple(rawBytes, contentType) },
      { weight: 1, arbitrary: fc.tuple(hugeBody, fc.constant('application/json')) },
    )
    .map(([body, type]) => ({ body, type }));
}

/**
 * Property-based fuzzing of the management API against the in-process app: mutated, mistyped,
 * deeply nested, oversized and mis-encoded bodies, random query strings, ids and headers. Every
 * answer is below 500 and in the contract's envelope.
 */
describe('Fuzzing the management API (fault)', () => {
  let t: TestApp;
  let port: number;
  let tenant: Tenant;
  const ids = { webhook: '', source: '', rule: '', event: '' };

  beforeAll(async () => {
    t = await startApp({ APP_ROLE: 'api' });
    port = await listen(t.app.getHttpServer());
    const base = `http://127.0.0.1:${port}`;
    tenant = await createTenant(base);
    ids.webhook = (await mustPost(base, tenant, '/api/v1/webhooks', VALID.webhook, 201)).webhook_id;
    ids.source = (await mustPost(base, tenant, '/api/v1/sources', VALID.source, 201)).source_id;
    ids.rule = (await mustPost(base, tenant, '/api/v1/notification-rules', VALID.rule, 201)).rule_id;
    ids.event = (await mustPost(base, tenant, '/api/v1/events', VALID.event, 202)).event_id;
  });

  afterAll(async () => {
    closeAgent();
    await t?.close();
  });

  const auth = (): [string, string][] => [['authorization', tenant.auth.Authorization]];

  /** POST to `create`, or PATCH an existing or made-up id under `update`, with a mutated body. */
  async function writeProperty(
    valid: Record<string, unknown>,
    create: string[],
    update: () => string[],
  ): Promise<void> {
    const creates = fc.constantFrom(...create).map((path) => ({ method: 'POST', path }));
    const updates = update().length
      ? fc
          .tuple(fc.constantFrom(...update()), pathSegment(['x']))
          .chain(([path, other]) =>
            fc.constantFrom({ method: 'PATCH', path }, { method: 'PATCH', path: path.replace(/[^/]+$/, other) }),
          )
      : creates;
    const route = fc.oneof(creates, updates);
    await assertProperty(
      fc.asyncProperty(route, bodyFrom(valid), randomHeaders, async (r, { body, type }, headers) => {
        await checkRequest(port, { ...r, headers: [...auth(), ...headers], contentType: type, body });
      }),
    );
  }

  it('POST and PATCH /webhooks answer below 500 in the envelope', async () => {
    await writeProperty(VALID.webhook, ['/api/v1/webhooks', '/api/v1/webhooks/register'], () => [
      `/api/v1/webhooks/${ids.webhook}`,
    ]);
  });

  it('POST /events answers below 500 in the envelope', async () => {
    await writeProperty(VALID.event, ['/api/v1/events'], () => []);
  });

  it('POST and PATCH /sources answer below 500 in the envelope', async () => {
    await writeProperty(VALID.source, ['/api/v1/sources'], () => [`/api/v1/sources/${ids.source}`]);
  });

  it('POST and PATCH /notification-rules answer below 500 in the envelope', async () => {
    await writeProperty(VALID.rule, ['/api/v1/notification-rules'], () => [`/api/v1/notification-rules/${ids.rule}`]);
  });

  /** A write route (POST, or PATCH of the resource made in beforeAll) of one of the resources. */
  const writeRoute = fc
    .constantFrom(...(Object.keys(VALID) as (keyof typeof VALID)[]))
    .chain((resource) =>
      fc
        .constantFrom(
          { method: 'POST', path: ROUTES[resource].create },
          ...(ROUTES[resource].update ? [{ method: 'PATCH', path: ROUTES[resource].update(ids) }] : []),
        )
        .map((route) => ({ ...route, resource })),
    );

  it('answers deeply nested JSON in any field below 500 in the envelope', async () => {
    await assertProperty(
      fc.asyncProperty(
        writeRoute.chain((route) => fc.tuple(fc.constant(route), fc.constantFrom(...FIELDS[route.resource].nested))),
        deepJson,
        async ([route, field], deep) => {
          const body = Buffer.from(jsonText(withPath(VALID[route.resource], field, deep)));
          await checkRequest(port, {
            method: route.method,
            path: route.path,
            headers: auth(),
            contentType: 'application/json',
            body,
          });
        },
      ),
      100,
    );
  });

  it('answers strings PostgreSQL cannot store (NUL, lone surrogates) below 500 in the envelope', async () => {
    const unstorable = fc
      .tuple(fc.string({ maxLength: 5 }), fc.constantFrom('\u0000', '\ud800', '\udc00'), fc.string({ maxLength: 5 }))
      .map((parts) => parts.join(''));
    await assertProperty(
      fc.asyncProperty(
        writeRoute.chain((route) => fc.tuple(fc.constant(route), fc.constantFrom(...FIELDS[route.resource].strings))),
        unstorable,
        async ([route, field], value) => {
          const body = Buffer.from(jsonText(withPath(VALID[route.resource], field, value)));
          await checkRequest(port, {
            method: route.method,
            path: route.path,
            headers: auth(),
            contentType: 'application/json',
            body,
          });
        },
      ),
      100,
    );
  });

  it('GET lists and items with random query strings and ids answer below 500 in the envelope', async () => {
    const lists: [string, string[]][] = [
      ['/api/v1/webhooks', ['active', 'event']],
      [`/api/v1/webhooks/${ids.webhook}/deliveries`, ['status', 'event_type', 'since', 'until']],
      [
        '/api/v1/inbound-events',
        [
          'status',
          'event_type',
          'event_subtype',
          'entity_type',
          'entity_id',
          'source_id',
          'provider',
          'start_date',
          'end_date',
        ],
      ],
      ['/api/v1/sources', ['provider']],
      ['/api/v1/notification-rules', ['active']],
      ['/api/v1/notifications', ['status', 'rule_id', 'event_id', 'event_type', 'channel', 'skip_reason']],
      ['/api/v1/event-types', []],
      ['/api/v1/tenants/me', []],
    ];
    const items = [
      '/api/v1/webhooks/',
      '/api/v1/webhooks/deliveries/',
      '/api/v1/events/',
      '/api/v1/inbound-events/',
      '/api/v1/sources/',
      '/api/v1/notification-rules/',
      '/api/v1/notifications/',
    ];
    const route = fc.oneof(
      fc.constantFrom(...lists).chain(([path, params]) => queryString(params).map((q) => `${path}${q}`)),
      fc
        .tuple(fc.constantFrom(...items), pathSegment(Object.values(ids)), queryString([]))
        .map(([path, id, q]) => `${path}${id}${q}`),
    );
    await assertProperty(
      fc.asyncProperty(route, randomHeaders, async (path, headers) => {
        await checkRequest(port, { method: 'GET', path, headers: [...auth(), ...headers] });
      }),
    );
  });

  it('answers requests with missing, wrong or odd credentials below 500 in the envelope', async () => {
    const credentials = fc.oneof(
      fc.constant([] as [string, string][]),
      headerValue.map((v) => [['authorization', v]] as [string, string][]),
      headerValue.map((v) => [['authorization', `Bearer ${v}`]] as [string, string][]),
      headerValue.map((v) => [['x-api-key', v]] as [string, string][]),
      fc.constant([['authorization', `Bearer ${tenant?.auth.Authorization.slice(7)}x`]] as [string, string][]),
    );
    const route = fc.constantFrom(
      ['POST', '/api/v1/webhooks'],
      ['GET', '/api/v1/webhooks'],
      ['POST', '/api/v1/events'],
      ['POST', '/api/v1/sources'],
      ['POST', '/api/v1/notification-rules'],
      ['GET', '/api/v1/inbound-events'],
      ['POST', '/api/v1/tenants'],
      ['DELETE', '/api/v1/webhooks/wh_00000000000000000000000000'],
      ['PUT', '/api/v1/webhooks'],
      ['POST', '/api/v1/nope'],
      ['GET', '/admin/queues'],
    );
    await assertProperty(
      fc.asyncProperty(
        route,
        credentials,
        randomHeaders,
        fc.tuple(rawBytes, contentType),
        async ([method, path], creds, headers, [body, type]) => {
          await checkRequest(
            port,
            { method, path, headers: [...creds, ...headers], contentType: type, body },
            // the queue dashboard is HTML, not the API
            { raw2xx: path.startsWith('/admin') },
          );
        },
      ),
      100,
    );
  });

  it('keeps names of unknown fields out of the way (prototype keys, huge keys)', async () => {
    const key = fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'prototype'));
    await assertProperty(
      fc.asyncProperty(
        fc.constantFrom('/api/v1/webhooks', '/api/v1/events', '/api/v1/sources', '/api/v1/notification-rules'),
        fc.dictionary(key, nastyValue, { maxKeys: 4 }),
        async (path, extra) => {
          const valid = path.endsWith('webhooks')
            ? VALID.webhook
            : path.endsWith('events')
              ? VALID.event
              : path.endsWith('sources')
                ? VALID.source
                : VALID.rule;
          const text = jsonText(valid)
            .replace(/}$/, `,${jsonText(extra).slice(1)}`)
            .replace(/,}$/, '}');
          await checkRequest(port, {
            method: 'POST',
            path,
            headers: auth(),
            contentType: 'application/json',
            body: Buffer.from(text),
          });
        },
      ),
      100,
    );
  });
});
