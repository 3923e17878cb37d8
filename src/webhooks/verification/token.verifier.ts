import { fail, OK, readHeader, requireSecret, tokenMatches } from './verifier.helpers';
import type { Read } from './verifier.helpers';
import type { VerificationInput, VerificationResult, Verifier } from './verifier';

export const TELEGRAM_SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';
export const DEFAULT_TOKEN_HEADER = 'X-Webhook-Token';

/** The header a `shared-token` source reads: the configured one, else `X-Webhook-Token`. */
export function sharedTokenHeader(header: string | null): string {
  return header?.trim() || DEFAULT_TOKEN_HEADER;
}

function compareToken(given: Read<string>, secret: Read<string>, what: string): VerificationResult {
  if (!secret.ok) return secret;
  if (!given.ok) return given;
  return tokenMatches(given.value, secret.value) ? OK : fail(`${what} does not match the source's secret`);
}

/** Telegram: `X-Telegram-Bot-Api-Secret-Token` (setWebhook's `secret_token`) equals the secret. No HMAC. */
export class TelegramVerifier implements Verifier {
  readonly scheme = 'telegram';

  verify(input: VerificationInput): VerificationResult {
    const header = readHeader(input.headers, TELEGRAM_SECRET_HEADER);
    return compareToken(header, requireSecret(input.secret), `${TELEGRAM_SECRET_HEADER} header`);
  }
}

/** A header (`input.header`, default `X-Webhook-Token`) equals the secret. */
export class SharedTokenVerifier implements Verifier {
  readonly scheme = 'shared-token';

  verify(input: VerificationInput): VerificationResult {
    const name = sharedTokenHeader(input.header);
    return compareToken(readHeader(input.headers, name), requireSecret(input.secret), `${name} header`);
  }
}

function readQueryToken(query: VerificationInput['query']): Read<string> {
  const token = Object.hasOwn(query, 'token') ? query.token : undefined;
  if (token === undefined || token === '') return fail('missing token query parameter');
  if (Array.isArray(token)) return fail('token query parameter was given more than once');
  if (typeof token !== 'string') return fail('token query parameter is malformed');
  return { ok: true, value: token };
}

/** The ingest URL's `?token=` equals the secret (Kommo CRM and YCLIENTS sign nothing). */
export class UrlTokenVerifier implements Verifier {
  readonly scheme = 'url-token';

  verify(input: VerificationInput): VerificationResult {
    return compareToken(readQueryToken(input.query), requireSecret(input.secret), 'token query parameter');
  }
}

/** No verification: only for sources that say so explicitly. */
export class NoneVerifier implements Verifier {
  readonly scheme = 'none';

  verify(): VerificationResult {
    return OK;
  }
}
