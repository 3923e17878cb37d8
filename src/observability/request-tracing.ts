import { context, Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { traceIdOf } from '../common/request-id';
import { parseTraceparent } from './trace-ids';
import { startRequestSpan } from './tracing';

/** The canonical ingest path, answered before Nest's router sets `req.route` (IngestController.serveFast). */
const FAST_INGEST = /^\/api\/v1\/ingest\/[^/?]+$/i;

/**
 * The route template of a request once answered (`/api/v1/ingest/:source_id`), never its ids: the path
 * of the controller route Nest matched (registered on the application's router), unless a middleware's
 * wildcard route answered it (`{*path}`, whose base is the request's own path).
 */
function routeOf(req: Request): string | undefined {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === 'string' && req.baseUrl === '' && !path.includes('*')) return path;
  return FAST_INGEST.test(req.originalUrl.split('?')[0]) ? '/api/v1/ingest/:source_id' : undefined;
}

function end(span: Span, req: Request, res: Response): void {
  const route = routeOf(req);
  if (route) {
    span.updateName(`${req.method} ${route}`);
    span.setAttribute('http.route', route);
  }
  span.setAttribute('http.response.status_code', res.statusCode);
  if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
  if (!res.writableFinished) span.setAttribute('hookhub.connection_closed', true);
  span.end();
}

/**
 * Installed after the request id middleware when tracing is on (app.ts): one SERVER span per request,
 * the root of the trace its request id names (tracing.ts), active for everything the request runs,
 * including what runs on the request's and the response's events (body parsing).
 */
export function requestTracing(req: Request, res: Response, next: NextFunction): void {
  const incoming = parseTraceparent(req.headers.traceparent as string | undefined);
  const span = startRequestSpan(
    traceIdOf(req),
    req.method,
    { 'http.request.method': req.method, 'url.path': req.path, 'url.scheme': req.protocol },
    incoming
      ? [{ context: { traceId: incoming.traceId, spanId: incoming.spanId, traceFlags: incoming.sampled ? 1 : 0 } }]
      : [],
  );
  if (!span) return next();
  const active = trace.setSpan(context.active(), span);
  context.bind(active, req);
  context.bind(active, res);
  let ended = false;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    end(span, req, res);
  };
  res.once('finish', finish);
  res.once('close', finish);
  context.with(active, next);
}
