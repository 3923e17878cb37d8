import { Logger } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../common/api-error';
import { safeEqual, sha256Hex } from '../common/crypto';
import { respondWithError } from '../common/error.filter';
import { presentedKey } from '../tenants/auth';

const logger = new Logger('QueueDashboard');

/** Makes browsers ask for a user name and password; the password is the admin key. */
export const QUEUE_DASHBOARD_CHALLENGE = 'Basic realm="Hookhub queues"';

/** The password of `Authorization: Basic <base64(user:password)>`; the user name is ignored. */
function basicPassword(req: Request): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon >= 0 ? decoded.slice(colon + 1) : undefined;
}

/**
 * Express middleware in front of the queue dashboard: lets through the operator's `ADMIN_API_KEY`
 * sent as `Authorization: Bearer <key>`, `X-API-Key: <key>` or HTTP Basic auth with the key as
 * password (any user name), so that a browser can open the page. Missing or wrong: 401 with a Basic
 * challenge; `ADMIN_API_KEY` unset: 403. Both in the contract's error envelope.
 */
export function queueDashboardAuth(adminApiKey: string | undefined): RequestHandler {
  // Digests have one length, so the comparison takes the same time whatever the length of the guess.
  const expected = adminApiKey === undefined ? undefined : sha256Hex(adminApiKey);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (expected === undefined) {
      const error = new ApiError('FORBIDDEN', 'The queue dashboard is disabled: set ADMIN_API_KEY to enable it.');
      return respondWithError(error, req, res, logger);
    }
    const key = presentedKey(req) ?? basicPassword(req);
    if (key !== undefined && safeEqual(sha256Hex(key), expected)) return next();
    const error = new ApiError(
      'UNAUTHORIZED',
      'Missing or invalid admin key: sign in with any user name and ADMIN_API_KEY as the password, or send Authorization: Bearer <ADMIN_API_KEY>.',
      [],
      { 'WWW-Authenticate': QUEUE_DASHBOARD_CHALLENGE },
    );
    respondWithError(error, req, res, logger);
  };
}
