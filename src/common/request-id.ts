import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

/** The request's trace id: the client's `X-Request-ID` when it is sane, else a new UUID. */
export function traceIdOf(req: Request): string {
  return (req as Request & { id?: string }).id ?? 'unknown';
}

/**
 * First middleware of the stack: fixes the trace id before anything can fail, echoes it as
 * `X-Request-ID`, and leaves it on `req.id` for pino-http, the filters and the jobs.
 */
export function requestIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && ACCEPTABLE.test(given) ? given : randomUUID();
  (req as Request & { id: string }).id = id;
  res.setHeader('X-Request-ID', id);
  next();
}
