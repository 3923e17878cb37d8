import request from 'supertest';
import { OPENAPI_EXAMPLES } from '../src/common/openapi-examples';
import { startApp, TestApp } from './helpers/app';

interface Schema {
  type?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  items?: Schema;
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  example?: unknown;
}

interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

interface Document {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  tags: { name: string; description?: string }[];
  components: { schemas: Record<string, Schema>; securitySchemes: Record<string, Record<string, string>> };
}

function operationsOf(doc: Document): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ method, path, op })),
  );
}

/** An object schema that says nothing about its content: what the envelope schemas were before. */
function isEmptyObject(schema: Schema): boolean {
  return (
    schema.type === 'object' &&
    !schema.properties &&
    schema.additionalProperties === undefined &&
    !schema.allOf &&
    !schema.oneOf &&
    !schema.anyOf &&
    !schema.$ref
  );
}

/** Paths (`Schema.property.…`) of the empty object schemas in and under `schema`. */
function emptySchemas(schema: Schema, at: string): string[] {
  const own = isEmptyObject(schema) ? [at] : [];
  const nested = [
    ...Object.entries(schema.properties ?? {}).map(([name, s]) => emptySchemas(s, `${at}.${name}`)),
    schema.items ? emptySchemas(schema.items, `${at}[]`) : [],
  ];
  return [...own, ...nested.flat()];
}

/** Every route of the contract is in the OpenAPI document, under its module's tag, with its error answers. */
describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startApp();
    doc = (await request(t.http).get('/docs-json').expect(200)).body;
  });

  afterAll(async () => {
    await t.close();
  });

  it.each([
    ['post', '/api/v1/webhooks', 'webhooks'],
    ['post', '/api/v1/webhooks/register', 'webhooks'],
    ['get', '/api/v1/webhooks/{webhook_id}/deliveries', 'webhooks'],
    ['post', '/api/v1/webhooks/deliveries/{delivery_id}/retry', 'webhooks'],
    ['post', '/api/v1/events', 'events'],
    ['get', '/api/v1/event-types', 'events'],
    ['post', '/api/v1/sources', 'sources'],
    ['post', '/api/v1/ingest/{source_id}', 'ingest'],
    ['post', '/api/v1/webhooks/incoming/{kind}', 'ingest'],
    ['get', '/api/v1/inbound-events', 'inbound-events'],
    ['post', '/api/v1/inbound-events/{inbound_event_id}/retry', 'inbound-events'],
    ['post', '/api/v1/integrations/kommo/webhook', 'integrations'],
    ['post', '/api/v1/integrations/yclients/webhook', 'integrations'],
    ['post', '/api/v1/integrations/slack/events', 'integrations'],
    ['post', '/api/v1/integrations/telegram/{source_id}', 'integrations'],
    ['get', '/api/v1/integrations/whatsapp/{source_id}', 'integrations'],
    ['post', '/api/v1/integrations/whatsapp/{source_id}', 'integrations'],
    ['post', '/api/v1/notification-rules', 'notifications'],
    ['post', '/api/v1/notification-rules/{rule_id}/test', 'notifications'],
    ['get', '/api/v1/notifications', 'notifications'],
    ['patch', '/api/v1/tenants/me', 'tenants'],
  ])('%s %s is documented under %s', (method, path, tag) => {
    const operation = doc.paths[path]?.[method];
    expect(operation).toBeDefined();
    expect(operation.tags).toEqual([tag]);
    expect(Object.keys(operation.responses).length).toBeGreaterThan(0);
    expect(doc.tags.map((t) => t.name)).toContain(tag);
  });

  it('describes the error and success envelopes completely: no schema is an empty object', () => {
    const schemas = doc.components.schemas;
    expect(Object.entries(schemas).flatMap(([name, schema]) => emptySchemas(schema, name))).toEqual([]);
    expect(Object.keys(schemas.ErrorEnvelopeDto.properties ?? {})).toEqual(['error', 'meta']);
    expect(Object.keys(schemas.ErrorBodyDto.properties ?? {}).sort()).toEqual(['code', 'details', 'message']);
    expect(Object.keys(schemas.ErrorDetailDto.properties ?? {}).sort()).toEqual(['field', 'message']);
    expect(Object.keys(schemas.MetaDto.properties ?? {})).toEqual(['trace_id']);
    expect(Object.keys(schemas.ListMetaDto.properties ?? {}).sort()).toEqual(['pagination', 'trace_id']);
    expect(Object.keys(schemas.PaginationDto.properties ?? {})).toEqual(
      expect.arrayContaining(['limit', 'offset', 'total']),
    );
    // documented once a keyset-paginated list uses it
    if (schemas.CursorPaginationDto) {
      expect(Object.keys(schemas.CursorPaginationDto.properties ?? {}).sort()).toEqual(['limit', 'next_cursor']);
    }
  });

  it('the error answers of a route are the error envelope', () => {
    const webhookErrors = doc.paths['/api/v1/webhooks'].post.responses['400'];
    expect(webhookErrors.content?.['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ErrorEnvelopeDto',
    });
  });

  it('names every operation with a unique, readable operationId (resource.verb)', () => {
    const ids = operationsOf(doc).map(({ method, path, op }) => ({ at: `${method} ${path}`, id: op.operationId }));
    expect(ids.filter(({ id }) => !/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(id ?? ''))).toEqual([]);
    expect(new Set(ids.map(({ id }) => id)).size).toBe(ids.length);
    expect(doc.paths['/api/v1/webhooks'].post.operationId).toBe('webhooks.create');
    expect(doc.paths['/api/v1/inbound-events/{inbound_event_id}/retry'].post.operationId).toBe('inboundEvents.retry');
  });

  it('gives every operation a summary and a description', () => {
    const bare = operationsOf(doc)
      .filter(({ op }) => !op.summary?.trim() || !op.description?.trim())
      .map(({ op }) => op.operationId);
    expect(bare).toEqual([]);
  });

  it('documents the error answers: 401 with a key, 404 with a path id, 400 with a body, at least one in all', () => {
    // the metrics take no input and no key: nothing they could refuse
    const noErrors = new Set(['health.metrics']);
    const missing = operationsOf(doc).flatMap(({ op }) => {
      const statuses = Object.keys(op.responses);
      const wanted = [
        (op.security ?? []).length > 0 ? '401' : null,
        (op.parameters ?? []).some((p) => p.in === 'path') ? '404' : null,
        op.requestBody ? '400' : null,
      ].filter((s): s is string => s !== null && !statuses.includes(s));
      if (!noErrors.has(op.operationId!) && !statuses.some((s) => Number(s) >= 400)) wanted.push('4xx/5xx');
      return wanted.map((status) => `${op.operationId} ${status}`);
    });
    expect(missing).toEqual([]);
  });

  it('documents keyset lists with their cursor pagination', () => {
    const keyset = operationsOf(doc).filter(({ op }) => (op.parameters ?? []).some((p) => p.name === 'cursor'));
    for (const { op } of keyset) {
      const ok = Object.entries(op.responses).find(([status]) => status.startsWith('2'))?.[1];
      expect({ id: op.operationId, meta: ok?.content?.['application/json'].schema?.properties?.meta }).toEqual({
        id: op.operationId,
        meta: { $ref: '#/components/schemas/CursorListMetaDto' },
      });
    }
  });

  it('has an example for every operation: its path ids, required parameters and body', () => {
    const missing = operationsOf(doc).flatMap(({ op }) => {
      const id = op.operationId!;
      const params = (op.parameters ?? [])
        .filter((p) => (p.in === 'path' || p.required) && p.example === undefined)
        .map((p) => `${id} ${p.in} ${p.name}`);
      const body =
        op.requestBody && !Object.values(op.requestBody.content).some((m) => m.example !== undefined)
          ? [`${id} body`]
          : [];
      return [
        ...(Object.hasOwn(OPENAPI_EXAMPLES, id) ? [] : [`${id}: no entry in OPENAPI_EXAMPLES`]),
        ...params,
        ...body,
      ];
    });
    expect(missing).toEqual([]);
  });

  it('holds no example for an operation the document does not have', () => {
    const ids = new Set(operationsOf(doc).map(({ op }) => op.operationId));
    expect(Object.keys(OPENAPI_EXAMPLES).filter((id) => !ids.has(id))).toEqual([]);
  });

  it('"Try it out" on POST /webhooks sends a body the API accepts: payload_template or preset, not both', () => {
    const example = doc.paths['/api/v1/webhooks'].post.requestBody?.content['application/json'].example as Record<
      string,
      unknown
    >;
    expect(example).toMatchObject({ name: expect.any(String), url: expect.any(String), events: expect.any(Array) });
    expect('payload_template' in example && 'preset' in example).toBe(false);
  });

  it('documents the signature headers of the ingest and provider routes', () => {
    const headers = (path: string, method = 'post') =>
      (doc.paths[path][method].parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    const query = (path: string) =>
      (doc.paths[path].post.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
    const schemes = [
      'X-Webhook-Signature',
      'X-Webhook-Timestamp',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'X-Hub-Signature-256',
      'Stripe-Signature',
      'X-Slack-Signature',
      'X-Slack-Request-Timestamp',
      'X-Telegram-Bot-Api-Secret-Token',
      'X-Signature',
    ];
    expect(headers('/api/v1/ingest/{source_id}')).toEqual(expect.arrayContaining(schemes));
    expect(query('/api/v1/ingest/{source_id}')).toContain('token');
    expect(headers('/api/v1/webhooks/incoming/{kind}')).toEqual(expect.arrayContaining(['X-Webhook-ID', ...schemes]));
    expect(headers('/api/v1/integrations/slack/events')).toEqual(
      expect.arrayContaining(['X-Slack-Signature', 'X-Slack-Request-Timestamp']),
    );
    expect(headers('/api/v1/integrations/telegram/{source_id}')).toContain('X-Telegram-Bot-Api-Secret-Token');
    expect(headers('/api/v1/integrations/whatsapp/{source_id}')).toContain('X-Hub-Signature-256');
    expect(query('/api/v1/integrations/kommo/webhook')).toContain('token');
    expect(query('/api/v1/integrations/yclients/webhook')).toContain('token');
  });

  it('declares API keys as opaque bearer tokens and the routes without a key explicitly', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.api_key).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key' });
    expect(schemes.admin_key).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque API key' });
    expect(schemes.x_api_key).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-API-Key' });
    expect(doc.paths['/api/v1/ingest/{source_id}'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/webhooks'].post.security).toEqual([{ api_key: [] }, { x_api_key: [] }]);
  });

  it('names a server: this one, relative, when PUBLIC_URL is unset', () => {
    expect(doc.servers).toEqual([{ url: '/', description: 'This server' }]);
  });

  it('refers to nothing outside the repository and describes every tag in its own words', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('../shared');
    expect(text).not.toContain('CONTRACT');
    expect(doc.tags.filter((tag) => !tag.description?.trim())).toEqual([]);
    const used = new Set(operationsOf(doc).flatMap(({ op }) => op.tags ?? []));
    expect(doc.tags.map((tag) => tag.name).filter((name) => !used.has(name))).toEqual([]);
  });
});

describe('OpenAPI document with PUBLIC_URL (e2e)', () => {
  it('names PUBLIC_URL as the server', async () => {
    const t = await startApp({ PUBLIC_URL: 'https://hookhub.example.com/' });
    try {
      const doc = (await request(t.http).get('/docs-json').expect(200)).body as Document;
      expect(doc.servers).toEqual([{ url: 'https://hookhub.example.com', description: 'PUBLIC_URL' }]);
    } finally {
      await t.close();
    }
  });
});
