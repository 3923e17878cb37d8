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

/** Methods that only read: a cross-site page may cause them, they change nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}

/** The `host` (host:port) of an Origin header; undefined for `null` or anything else that is no URL. */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Whether a request comes from the dashboard's own page rather than from another site the operator
 * has open (CSRF): a browser re-sends Basic credentials to any request for this origin, whoever
 * causes it. `Sec-Fetch-Site` (which page scripts cannot set) must be `same-origin` or `none`, and
 * `Origin` must name this host (the `Host` header, or `PUBLIC_URL`'s); at least one of the two,
 * or a custom `X-Requested-With` header (a cross-site page cannot send one without a CORS
 * preflight, which Hookhub never grants), must be present.
 */
export function isSameOrigin(req: Request, publicHost?: string): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = header(req, 'origin');
  if (origin !== undefined) {
    const host = originHost(origin);
    const own = [header(req, 'host')?.toLowerCase(), publicHost];
    if (host === undefined || !own.includes(host)) return false;
  }
  return site !== undefined || origin !== undefined || header(req, 'x-requested-with') !== undefined;
}

/**
 * Express middleware in front of the queue dashboard: lets through the operator's `ADMIN_API_KEY`
 * sent as `Authorization: Bearer <key>`, `X-API-Key: <key>` or HTTP Basic auth with the key as
 * password (any user name), so that a browser can open the page. Missing or wrong: 401 with a Basic
 * challenge; `ADMIN_API_KEY` unset: 403. Both in the contract's error envelope. A browser keeps Basic
 * credentials and sends them whoever causes the request, so a POST, PUT, PATCH or DELETE signed in
 * that way must also come from the dashboard's own page (see isSameOrigin), else 403; a key sent as
 * bearer or X-API-Key is never added by a browser on its own, and needs nothing more.
 */
export function queueDashboardAuth(adminApiKey: string | undefined, publicUrl?: string): RequestHandler {
  const publicHost = publicUrl === undefined ? undefined : originHost(publicUrl);
  // Digests have one length, so the comparison takes the same time whatever the length of the guess.
  const expected = adminApiKey === undefined ? undefined : sha256Hex(adminApiKey);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (expected === undefined) {
      const error = new ApiError('FORBIDDEN', 'The queue dashboard is disabled: set ADMIN_API_KEY to enable it.');
      return respondWithError(error, req, res, logger);
    }
    const bearer = presentedKey(req);
    const key = bearer ?? basicPassword(req);
    if (key !== undefined && safeEqual(sha256Hex(key), expected)) {
      if (bearer !== undefined || SAFE_METHODS.has(req.method) || isSameOrigin(req, publicHost)) return next();
      const error = new ApiError(
        'FORBIDDEN',
        'Cross-site request refused: the queue dashboard takes changes signed in with Basic auth only from its own page (Origin or Sec-Fetch-Site); scripts send Authorization: Bearer <ADMIN_API_KEY>.',
      );
      return respondWithError(error, req, res, logger);
    }
    const error = new ApiError(
      'UNAUTHORIZED',
      'Missing or invalid admin key: sign in with any user name and ADMIN_API_KEY as the password, or send Authorization: Bearer <ADMIN_API_KEY>.',
      [],
      { 'WWW-Authenticate': QUEUE_DASHBOARD_CHALLENGE },
    );
    respondWithError(error, req, res, logger);
  };
}
