import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
} from '@nestjs/swagger';
import { ERROR_CODES } from './api-error';

export class ErrorDetailDto {
  /** @example "url" */
  field?: string;
  /** @example "url must be a URL address" */
  message: string;
}

export class ErrorBodyDto {
  @ApiProperty({ enum: Object.keys(ERROR_CODES), example: 'VALIDATION_FAILED' })
  code: string;
  /** @example "The request is invalid: check url." */
  message: string;
  details: ErrorDetailDto[];
}

export class MetaDto {
  /** The request's X-Request-ID. @example "6f1c2a0e-3b7d-4c55-9d0e-2f6a1b7c8d9e" */
  trace_id: string;
}

export class PaginationDto {
  /** @example 20 */
  limit: number;
  /** @example 0 */
  @ApiPropertyOptional()
  offset?: number;
  @ApiPropertyOptional({ description: 'Only on the page-based inbound-event history.' })
  page?: number;
  /** @example 42 */
  total: number;
  @ApiPropertyOptional({ description: 'Only on the page-based inbound-event history.' })
  total_pages?: number;
}

export class ListMetaDto extends MetaDto {
  pagination: PaginationDto;
}

/** The contract's error envelope. */
export class ErrorEnvelopeDto {
  error: ErrorBodyDto;
  meta: MetaDto;
}

interface EnvelopeOptions {
  status?: number;
  description?: string;
  list?: boolean;
}

/** Documents a success answer as `{data: <model or list>, meta}`. */
export function ApiEnvelope(model: Type<unknown>, options: EnvelopeOptions = {}): MethodDecorator {
  const data = options.list ? { type: 'array', items: { $ref: getSchemaPath(model) } } : { $ref: getSchemaPath(model) };
  const meta = { $ref: getSchemaPath(options.list ? ListMetaDto : MetaDto) };
  return applyDecorators(
    ApiExtraModels(model, MetaDto, ListMetaDto),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'OK',
      schema: { type: 'object', required: ['data', 'meta'], properties: { data, meta } },
    }),
  );
}

/** Documents the error answers a route can give, each in the error envelope. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: Object.entries(ERROR_CODES)
          .filter(([, s]) => s === status)
          .map(([code]) => code)
          .join(' | '),
        type: ErrorEnvelopeDto,
      }),
    ),
  );
}

export const SWAGGER_TAGS = [
  { name: 'tenants', description: 'Tenants and their API keys (CONTRACT §2)' },
  { name: 'webhooks', description: 'Outgoing webhook endpoints, their delivery log, retries and tests (CONTRACT §3)' },
  { name: 'events', description: 'Publishing events to subscribed endpoints (CONTRACT §4)' },
  { name: 'sources', description: 'Sources of incoming webhooks and their verification (CONTRACT §5.1)' },
  {
    name: 'ingest',
    description: 'Where providers send webhooks; verified by the source, not an API key (CONTRACT §5.2)',
  },
  { name: 'inbound-events', description: 'The history of received webhooks and their processing (CONTRACT §5.3)' },
  {
    name: 'notifications',
    description: 'Rules that turn events into Telegram, Slack and WhatsApp messages, and their history (CONTRACT §6)',
  },
  { name: 'integrations', description: "Providers' own webhook routes (CONTRACT §5.2)" },
  { name: 'health', description: 'Liveness, readiness and metrics (CONTRACT §7)' },
];

/** Mounts Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function setupSwagger(app: INestApplication, version: string): void {
  const builder = new DocumentBuilder()
    .setTitle('Hookhub API')
    .setDescription(
      'Self-hosted webhook gateway for CRM integrations. Every answer is an envelope: ' +
        '`{data, meta: {trace_id}}` on success, `{error: {code, message, details}, meta}` on failure.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A tenant API key (hh_…)' }, 'api_key')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'A tenant API key (hh_…)' }, 'x_api_key')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The operator ADMIN_API_KEY' }, 'admin_key');
  for (const tag of SWAGGER_TAGS) builder.addTag(tag.name, tag.description);
  const document = SwaggerModule.createDocument(app, builder.build(), { extraModels: [ErrorEnvelopeDto] });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
