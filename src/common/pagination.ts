import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, TransformFnParams } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The largest `limit` of every list (CONTRACT §1). */
export const MAX_LIMIT = 100;
/** The deepest `offset` a list accepts: deeper, PostgreSQL would be asked for an OFFSET it cannot take. */
export const MAX_OFFSET = 100_000_000;
/** The last `page` of the page-based inbound-event history: `(page - 1) × MAX_LIMIT` stays within MAX_OFFSET. */
export const MAX_PAGE = MAX_OFFSET / MAX_LIMIT;

/**
 * A query-string integer: decimal digits only. Anything else (`1e3`, `0x10`, `-1`, `5.0`, ` 5`, a
 * repeated parameter) is left as it came, so that IsInt refuses it with 400 VALIDATION_FAILED.
 */
export function toQueryInteger({ value }: TransformFnParams): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/**
 * An optional query-string integer within `min`..`max`, every other value a 400 naming the parameter;
 * documented in the OpenAPI document with its bounds.
 */
export function QueryInteger(min: number, max: number, openapi: { default?: number; description?: string } = {}) {
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: max, ...openapi }),
    IsOptional(),
    Transform(toQueryInteger),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** `limit` (default 20, max 100) and `offset` (max 100 000 000) of every list (CONTRACT §1). */
export class PageQuery {
  @QueryInteger(1, MAX_LIMIT, { default: 20, description: 'Items per answer.' })
  limit?: number;

  @QueryInteger(0, MAX_OFFSET, { default: 0, description: 'Items to skip, newest first.' })
  offset?: number;
}

export function pageOf(query: PageQuery): { limit: number; offset: number } {
  return { limit: query.limit ?? 20, offset: query.offset ?? 0 };
}
