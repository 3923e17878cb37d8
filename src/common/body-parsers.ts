import { Logger, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from './api-error';
import { depthOf, MAX_DEPTH } from './json-depth';
import { respondWithError, toApiError } from './error.filter';
import { countIngest } from '../observability/metrics';
import { ingestOutcomeOf } from '../observability/outcomes';
import { IngestController } from '../webhooks/ingest.controller';

/** Routes that take provider traffic as JSON or form bodies; every other write is JSON only. */
export const INGEST_PATH_PREFIXES = ['/api/v1/ingest/', '/api/v1/webhooks/incoming/', '/api/v1/integrations/'];

export interface RawBodyRequest extends Request {
  /** The exact bytes received, kept for signature verification. */
  rawBody?: Buffer;
}

const logger = new Logger('BodyParser');

/**
 * Runs a body parser and answers its failures (bad JSON, too large, bad charset or encoding) in the
 * error envelope. An ingest request refused here never reaches the ingest service, so it is counted in
 * `hookhub_ingest_requests_total` here, with the provider `unknown` (no source has been read yet).
 */
function guarded(parser: RequestHandler, route: 'ingest' | 'management'): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void parser(req, res, (error?: unknown) => {
      if (!error) return next();
      const refusal = encodingError(error, req, route) ?? error;
      if (route === 'ingest') countIngest('unknown', ingestOutcomeOf(toApiError(refusal, req)));
      respondWithError(refusal, req, res, logger);
    });
  };
}

/** Content-Encodings the management parsers inflate (body-parser's own list). */
const INFLATED = 'gzip, deflate or br';

/**
 * The error envelope for a body that cannot be decoded, undefined for any other parser error.
 * Ingest routes verify signatures over the bytes as sent and never inflate: any Content-Encoding but
 * `identity` is 415. Management routes inflate gzip, deflate and br: another encoding is 415, bytes
 * that do not decode as the named one (a corrupt gzip stream) 400 BAD_REQUEST.
 */
function encodingError(error: unknown, req: Request, route: 'ingest' | 'management'): ApiError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as { type?: unknown; status?: unknown };
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .slice(0, 100)
    .replace(/[^\x20-\x7e]/g, '?');
  if (type === 'encoding.unsupported') {
    const message =
      route === 'ingest'
        ? 'ingest bodies are verified over the bytes as sent: send them without a Content-Encoding (identity)'
        : `send the body uncompressed or as ${INFLATED}`;
    return new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${encoding} is not accepted here: ${message}.`, [
      { field: 'Content-Encoding', message },
    ]);
  }
  // a decompression stream's failure (zlib: "incorrect header check", "unexpected end of file") has no type
  if (type === undefined && typeof status === 'number' && status >= 400 && status < 500 && encoding !== 'identity') {
    return new ApiError('BAD_REQUEST', `The request body is not valid ${encoding} data (Content-Encoding).`, [
      { field: 'Content-Encoding', message: `the body does not decode as ${encoding}` },
    ]);
  }
  return undefined;
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Management routes accept JSON only: anything else with a body is 415 UNSUPPORTED_MEDIA_TYPE. */
/** JSON nested deeper than MAX_DEPTH is refused before validation walks it (it would overflow the stack). */
function notTooDeep(req: Request, res: Response, next: NextFunction): void {
  if (isIngest(req) || typeof req.body !== 'object' || req.body === null || depthOf(req.body) <= MAX_DEPTH)
    return next();
  respondWithError(
    ApiError.validation(`The request body nests deeper than ${MAX_DEPTH} levels.`, [
      { field: 'body', message: `body must not nest deeper than ${MAX_DEPTH} levels` },
    ]),
    req,
    res,
    logger,
  );
}

/**
 * Whether the request goes to an ingest route. Express matches routes without regard to letter case
 * (`/API/V1/INGEST/…` reaches the ingest controller), so the prefixes are compared the same way: an
 * ingest route never receives a body parsed by the JSON or form parsers.
 */
function isIngest(req: Request): boolean {
  const url = req.originalUrl.toLowerCase();
  return INGEST_PATH_PREFIXES.some((prefix) => url.startsWith(prefix));
}

function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  if (isIngest(req) || !hasBody(req) || req.is(['application/json', 'application/*+json'])) return next();
  const type = req.headers['content-type'] ?? 'none';
  respondWithError(
    new ApiError('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json (got ${type}).`),
    req,
    res,
    logger,
  );
}

/**
 * Runs `handlers` one after the other as one middleware. As with separate router layers, an error
 * passed on or thrown skips the rest and goes to `next`.
 */
function inSequence(handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (error?: unknown): void => {
      if (error) return next(error);
      const handler = handlers[index++];
      if (!handler) return next();
      try {
        void handler(req, res, step);
      } catch (thrown) {
        next(thrown);
      }
    };
    step();
  };
}

/**
 * Hookhub's body parsers as Nest middleware, so they run after the request logger (every failure
 * is logged with its trace id): the ingest paths get the raw bytes only; other routes the JSON-only
 * check, then JSON and form parsers limited to MAX_BODY_BYTES that keep the raw bytes. The
 * canonical `POST /api/v1/ingest/{source_id}` is then answered here by IngestController.serveFast
 * (the request logger and trace id already in place), without Nest's router.
 */
@Module({})
export class BodyParserModule implements NestModule {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The ingest controller's fast path for `POST /api/v1/ingest/{source_id}`, when the app has that controller. */
  private fastIngest(): RequestHandler | undefined {
    try {
      const controller = this.moduleRef.get(IngestController, { strict: false });
      return (req, res, next) => controller.serveFast(req, res, next);
    } catch {
      return undefined;
    }
  }

  configure(consumer: MiddlewareConsumer): void {
    const keepRaw = (req: RawBodyRequest, _res: Response, buf: Buffer): void => {
      req.rawBody = buf;
    };
    const limit = this.config.maxBodyBytes;
    // ingest routes verify the exact bytes before anything is parsed: they get the raw body only
    const raw = guarded(express.raw({ limit, type: () => true, inflate: false }), 'ingest');
    const management = inSequence([
      jsonOnly,
      guarded(express.json({ limit, type: ['application/json', 'application/*+json'], verify: keepRaw }), 'management'),
      notTooDeep,
      guarded(express.urlencoded({ limit, extended: true, parameterLimit: 10_000, verify: keepRaw }), 'management'),
    ]);
    // the canonical `POST /api/v1/ingest/{source_id}` is answered right after its raw body is read
    const fast = this.fastIngest();
    const ingest: RequestHandler = fast ? (req, res, next) => raw(req, res, () => fast(req, res, next)) : raw;
    // one middleware rather than five: an ingest request passes one router layer, not five
    consumer
      .apply((req: Request, res: Response, next: NextFunction) =>
        isIngest(req) ? ingest(req, res, next) : management(req, res, next),
      )
      .forRoutes('*');
  }
}
