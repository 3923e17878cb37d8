import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, TransformFnParams } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Max,
  Min,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

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

/**
 * The position of a keyset page: the `created_at` (ISO-8601 UTC with microseconds, as PostgreSQL
 * keeps it, so that rows of the same millisecond are neither skipped nor repeated) and the id of
 * the last row answered.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

/** PostgreSQL's timestamptz precision, written by {@link keysetAtSql}. */
const KEYSET_AT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const KEYSET_ID = /^[a-z]+_[0-9a-z]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]{1,400}$/;

/** SQL giving `column` (a timestamptz) as a {@link KeysetPosition} `at`. */
export function keysetAtSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The opaque `cursor` of the page after `position`: base64url of `<at> <id>`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(`${position.at} ${position.id}`, 'utf8').toString('base64url');
}

/** The position a cursor stands for; null when it is not one {@link encodeCursor} made. */
export function decodeCursor(cursor: string): KeysetPosition | null {
  if (typeof cursor !== 'string' || !BASE64URL.test(cursor)) return null;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split(' ');
  if (rest.length > 0 || !KEYSET_AT.test(at ?? '') || !KEYSET_ID.test(id ?? '')) return null;
  // a real instant only (no 30 February): PostgreSQL would refuse it
  const parsed = Date.parse(at);
  if (Number.isNaN(parsed) || new Date(parsed).toISOString().slice(0, 23) !== at.slice(0, 23)) return null;
  return { at, id };
}

@ValidatorConstraint({ name: 'isCursor' })
class IsCursorConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && decodeCursor(value) !== null;
  }

  defaultMessage(): string {
    return 'cursor must be the next_cursor of a previous page';
  }
}

/** `limit` (default 20, max 100) and `cursor` of the keyset-paginated logs, newest first. */
export class KeysetQuery {
  @QueryInteger(1, MAX_LIMIT, { default: 20, description: 'Items per answer.' })
  limit?: number;

  @ApiPropertyOptional({
    type: 'string',
    description:
      'Where the page starts: meta.pagination.next_cursor of the previous answer; the first page when omitted. ' +
      'Rows created after the first page never appear on later pages.',
    example: 'MjAyNS0wMS0wOVQxMjowMDowNS4xMjM0NTZaIGRsdl8wMWpkOHg0bTJrN3E5dzNlNXI2dDh5MHUxaQ',
  })
  @IsOptional()
  @IsString()
  @Validate(IsCursorConstraint)
  cursor?: string;
}

/** The page a keyset query asks for. */
export function keysetOf(query: KeysetQuery): { limit: number; after: KeysetPosition | null } {
  return { limit: query.limit ?? 20, after: query.cursor ? decodeCursor(query.cursor) : null };
}
