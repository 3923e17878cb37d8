import { applyDecorators, INestApplication, Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, SwaggerModule } from '@nestjs/swagger';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/env';
import { ERROR_CODES } from './api-error';
import { CursorListMetaDto, ErrorEnvelopeDto, ListMetaDto, MetaDto } from './envelope.dto';
import { buildOpenApiDocument } from './openapi-document';

export {
  CursorListMetaDto,
  CursorPaginationDto,
  ErrorBodyDto,
  ErrorDetailDto,
  ErrorEnvelopeDto,
  ListMetaDto,
  MetaDto,
  PaginationDto,
} from './envelope.dto';

interface EnvelopeOptions {
  status?: number;
  description?: string;
  /**
   * The answer's `data` is a list: `true` for an offset-paginated one (`meta.pagination: {limit, offset,
   * total}`), `'cursor'` for a keyset-paginated log (`meta.pagination: {limit, next_cursor}`), `'all'` for
   * a whole list without pagination.
   */
  list?: boolean | 'cursor' | 'all';
}

function metaOf(list: EnvelopeOptions['list']): Type<unknown> {
  if (list === 'cursor') return CursorListMetaDto;
  return list === true ? ListMetaDto : MetaDto;
}

/** Documents a success answer as `{data: <model or list>, meta}`. */
export function ApiEnvelope(model: Type<unknown>, options: EnvelopeOptions = {}): MethodDecorator {
  const item = { $ref: getSchemaPath(model) };
  const data = options.list ? { type: 'array', items: item } : item;
  const meta = metaOf(options.list);
  return applyDecorators(
    ApiExtraModels(model, meta),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? 'OK',
      schema: { type: 'object', required: ['data', 'meta'], properties: { data, meta: { $ref: getSchemaPath(meta) } } },
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

/** Mounts Swagger UI at /docs and the OpenAPI 3 document at /docs-json (and /docs-yaml). */
export function setupSwagger(app: INestApplication, version: string): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const document = buildOpenApiDocument(app, { version, publicUrl: config.publicUrl });
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
