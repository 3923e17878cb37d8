import { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ErrorEnvelopeDto } from './envelope.dto';
import { OPENAPI_EXAMPLES, OperationExample } from './openapi-examples';
import { FALLBACK_DESCRIPTIONS, openapiOperationId } from './openapi-operations';

export const SWAGGER_TAGS = [
  { name: 'tenants', description: 'Tenants and their API keys.' },
  {
    name: 'webhooks',
    description: 'Outgoing webhook endpoints: registration, secrets, tests, the delivery log and retries.',
  },
  { name: 'deliveries', description: 'The delivery log of the whole tenant, searched and retried in bulk.' },
  { name: 'events', description: 'Publishing events to the subscribed endpoints, and the event log.' },
  { name: 'sources', description: 'Sources of incoming webhooks and how their requests are verified.' },
  {
    name: 'ingest',
    description: 'Where senders post incoming webhooks; a request is verified by its source, not by an API key.',
  },
  { name: 'inbound-events', description: 'The history of received webhooks and their processing.' },
  {
    name: 'notifications',
    description: 'Rules that turn events into Telegram, Slack and WhatsApp messages, and their history.',
  },
  {
    name: 'integrations',
    description: 'The routes each provider posts to: Kommo, YClients, Slack, Telegram, WhatsApp.',
  },
  { name: 'health', description: 'Readiness and Prometheus metrics.' },
];

const API_KEY_FORMAT = 'opaque API key';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

export interface OpenApiDocumentOptions {
  version: string;
  /** PUBLIC_URL: the document's server; the relative `/` (the host serving the document) when unset. */
  publicUrl?: string;
}

/** The OpenAPI document of the application's routes, with operation ids, descriptions and examples applied. */
export function buildOpenApiDocument(app: INestApplication, options: OpenApiDocumentOptions): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Hookhub API')
    .setDescription(
      'Self-hosted webhook gateway for CRM integrations. Every answer is an envelope: ' +
        '`{data, meta: {trace_id}}` on success (lists add `meta.pagination`), ' +
        '`{error: {code, message, details}, meta: {trace_id}}` on failure.',
    )
    .setVersion(options.version)
    .addServer(options.publicUrl?.replace(/\/+$/, '') || '/', options.publicUrl ? 'PUBLIC_URL' : 'This server')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: API_KEY_FORMAT, description: 'A tenant API key (hh_…)' },
      'api_key',
    )
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A tenant API key (hh_…)' }, 'x_api_key')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: API_KEY_FORMAT, description: 'The operator key, ADMIN_API_KEY' },
      'admin_key',
    );
  for (const tag of SWAGGER_TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorEnvelopeDto],
    operationIdFactory: openapiOperationId,
  });
  finishDocument(document);
  return document;
}

/** Every operation of the document with its path and method. */
export function operationsOf(document: OpenAPIObject): { path: string; method: string; operation: OperationObject }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    HTTP_METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method] }] : [])),
  );
}

function finishDocument(document: OpenAPIObject): void {
  const schemas = document.components?.schemas ?? {};
  // an error detail may carry more keys than field and message (`limit`, `allowed`, …)
  const detail = schemas.ErrorDetailDto as SchemaObject | undefined;
  if (detail) detail.additionalProperties = true;
  const operations = operationsOf(document);
  // a tag no route uses yet (the tenant-wide deliveries log, say) would show as an empty section
  const used = new Set(operations.flatMap(({ operation }) => operation.tags ?? []));
  document.tags = (document.tags ?? []).filter((tag) => used.has(tag.name));
  for (const { operation } of operations) {
    // no API key: verified by the source (ingest, integrations) or public (health); said explicitly
    operation.security ??= [];
    if (!operation.description && operation.operationId) {
      operation.description = FALLBACK_DESCRIPTIONS[operation.operationId];
    }
    const example = operation.operationId ? OPENAPI_EXAMPLES[operation.operationId] : undefined;
    if (example) applyExample(operation, example, schemas);
  }
}

function isReference(value: unknown): value is ReferenceObject {
  return typeof value === 'object' && value !== null && '$ref' in value;
}

/** Writes one whole-request example into the operation's parameters and request body. */
function applyExample(
  operation: OperationObject,
  example: OperationExample,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): void {
  const byLocation: Record<string, Record<string, unknown> | undefined> = {
    path: example.path,
    query: example.query,
    header: example.headers,
  };
  for (const parameter of operation.parameters ?? []) {
    if (isReference(parameter)) continue;
    const value = valueFor(parameter, byLocation[parameter.in]);
    if (value !== undefined) parameter.example = value;
  }
  const body = operation.requestBody;
  if (example.body === undefined || !body || isReference(body)) return;
  const contentType = example.contentType ?? 'application/json';
  const media = body.content[contentType];
  if (!media) return;
  media.example = declaredPart(example.body, media.schema, schemas);
}

function valueFor(parameter: ParameterObject, values: Record<string, unknown> | undefined): unknown {
  if (!values) return undefined;
  const key = Object.keys(values).find((name) =>
    parameter.in === 'header' ? name.toLowerCase() === parameter.name.toLowerCase() : name === parameter.name,
  );
  return key === undefined ? undefined : values[key];
}

/**
 * The part of an example body the schema declares: fields of objects whose schema lists its
 * properties (and allows no others) are kept only when declared. The API refuses unknown fields, so
 * an example written for a field a route does not have yet still sends a body the API accepts.
 */
function declaredPart(
  value: unknown,
  schema: SchemaObject | ReferenceObject | undefined,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): unknown {
  const resolved = resolve(schema, schemas);
  if (!resolved?.properties || resolved.additionalProperties || !isPlainObject(value)) return value;
  const properties = resolved.properties;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => Object.hasOwn(properties, key))
      .map(([key, field]) => [key, declaredPart(field, properties[key], schemas)]),
  );
}

function resolve(
  schema: SchemaObject | ReferenceObject | undefined,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): SchemaObject | undefined {
  let current = schema;
  for (let depth = 0; isReference(current) && depth < 10; depth += 1) {
    current = schemas[current.$ref.replace('#/components/schemas/', '')];
  }
  return isReference(current) ? undefined : current;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
