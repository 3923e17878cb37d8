import { ApiProperty } from '@nestjs/swagger';
import { ERROR_CODES } from './api-error';

// The envelope's schemas. They live in a `.dto.ts` file so that the swagger CLI plugin (nest-cli.json,
// test/helpers/swagger-transformer.js) reads their properties and JSDoc: in any other file they came
// out as empty objects.

export class ErrorDetailDto {
  /** The field (dotted path), header or query parameter the problem is about. @example "url" */
  field?: string;
  /** What is wrong with it, in one sentence. @example "url must be a URL address" */
  message: string;
}

export class ErrorBodyDto {
  @ApiProperty({
    enum: Object.keys(ERROR_CODES),
    example: 'VALIDATION_FAILED',
    description: 'A stable, machine-readable error code; the HTTP status follows from it.',
  })
  code: string;
  /** What went wrong and how to fix it, for people. @example "The request is invalid: check url." */
  message: string;
  /** One entry per problem (every invalid field, say); empty when there is nothing more to say. */
  details: ErrorDetailDto[];
}

export class MetaDto {
  /** The request's X-Request-ID (generated when the request had none); logs carry it too. @example "6f1c2a0e-3b7d-4c55-9d0e-2f6a1b7c8d9e" */
  trace_id: string;
}

/** The page of an offset-paginated list (`limit`, `offset`), or of the page-based inbound-event history (`page`). */
export class PaginationDto {
  /** Items per page, as asked (default 20, at most 100). @example 20 */
  limit: number;
  /** Items skipped (offset pagination). @example 0 */
  offset?: number;
  /** The page number (page-based inbound-event history only). @example 1 */
  page?: number;
  /** Items matching the filters, over every page. @example 42 */
  total: number;
  /** Pages of `limit` items (page-based inbound-event history only). @example 3 */
  total_pages?: number;
}

/** The page of a keyset-paginated log: pass `next_cursor` as `cursor` to read the next page. */
export class CursorPaginationDto {
  /** Items per page, as asked (default 20, at most 100). @example 20 */
  limit: number;
  /** The `cursor` of the next (older) page; null on the last page. @example "eyJ0IjoiMjAyNS0wMS0wOVQxMjowMDowMC4wMDBaIiwiaWQiOiJkbHZfMDEifQ" */
  next_cursor: string | null;
}

export class ListMetaDto extends MetaDto {
  pagination: PaginationDto;
}

export class CursorListMetaDto extends MetaDto {
  pagination: CursorPaginationDto;
}

/** The error envelope every failed request answers. */
export class ErrorEnvelopeDto {
  error: ErrorBodyDto;
  meta: MetaDto;
}
