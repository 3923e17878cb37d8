import type { Response } from 'express';
import type { ErrorCode, ErrorDetail } from './api-error';

export interface PaginationMeta {
  limit: number;
  offset?: number;
  page?: number;
  total: number;
  total_pages?: number;
}

/** The pagination of a keyset-paginated log: `next_cursor` asks for the next page, null on the last one. */
export interface KeysetPaginationMeta {
  limit: number;
  next_cursor: string | null;
}

/** A list answer: the interceptor turns it into `{data: items, meta: {pagination}}`. */
export class Page<T> {
  constructor(
    readonly items: T[],
    readonly pagination: PaginationMeta | KeysetPaginationMeta,
  ) {}
}

export function successBody(data: unknown, traceId: string): { data: unknown; meta: Record<string, unknown> } {
  if (data instanceof Page) return { data: data.items, meta: { trace_id: traceId, pagination: data.pagination } };
  return { data: data ?? null, meta: { trace_id: traceId } };
}

export function errorBody(code: ErrorCode, message: string, details: ErrorDetail[], traceId: string) {
  return { error: { code, message, details }, meta: { trace_id: traceId } };
}

/** Writes an error envelope straight to an Express response (used outside Nest's filters too). */
export function sendError(
  res: Response,
  status: number,
  body: ReturnType<typeof errorBody>,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).type('application/json; charset=utf-8').send(JSON.stringify(body));
}
