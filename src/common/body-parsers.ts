import { Logger } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from './api-error';
import { respondWithError } from './error.filter';

/** Routes that take provider traffic as JSON or form bodies; every other write is JSON only. */
export const INGEST_PATH_PREFIXES = ['/api/v1/ingest/', '/api/v1/webhooks/incoming/', '/api/v1/integrations/'];

export interface RawBodyRequest extends Request {
  /** The exact bytes received, kept for signature verification. */
  rawBody?: Buffer;
}

const logger = new Logger('BodyParser');

/** Runs a body parser and answers its failures (bad JSON, too large, bad charset) in the error envelope. */
function guarded(parser: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void parser(req, res, (error?: unknown) => (error ? respondWithError(error, req, res, logger) : next()));
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Management routes accept JSON only: anything else with a body is 415 UNSUPPORTED_MEDIA_TYPE. */
function jsonOnly(req: Request, res: Response, next: NextFunction): void {
  const isIngest = INGEST_PATH_PREFIXES.some((prefix) => req.path.startsWith(prefix));
  if (isIngest || !hasBody(req) || req.is(['application/json', 'application/*+json'])) return next();
  const type = req.headers['content-type'] ?? 'none';
  respondWithError(
    new ApiError('UNSUPPORTED_MEDIA_TYPE', `Send the body as application/json (got ${type}).`),
    req,
    res,
    logger,
  );
}

/** Installs Hookhub's body parsers, limited to MAX_BODY_BYTES, keeping the raw bytes for verification. */
export function installBodyParsers(app: INestApplication, maxBodyBytes: number): void {
  const keepRaw = (req: RawBodyRequest, _res: Response, buf: Buffer): void => {
    req.rawBody = buf;
  };
  app.use(jsonOnly);
  app.use(
    guarded(express.json({ limit: maxBodyBytes, type: ['application/json', 'application/*+json'], verify: keepRaw })),
  );
  app.use(
    guarded(express.urlencoded({ limit: maxBodyBytes, extended: true, parameterLimit: 10_000, verify: keepRaw })),
  );
}
