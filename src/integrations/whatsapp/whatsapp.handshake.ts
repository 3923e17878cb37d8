import { ApiError } from '../../common/api-error';
import { safeEqual, sha256Hex } from '../../common/crypto';
import type { SourceConfig } from '../provider';

const single = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Constant-time comparison through the project helper; hashing first hides the token's length too. */
function sameToken(given: string, expected: string): boolean {
  return safeEqual(sha256Hex(given), sha256Hex(expected));
}

/**
 * Meta's subscription handshake: `hub.mode=subscribe` with `hub.verify_token` equal to the source's
 * `config.verify_token` answers the `hub.challenge` to echo; anything else is 403 FORBIDDEN.
 */
export function subscriptionChallenge(query: Record<string, unknown>, config: SourceConfig): string {
  const mode = single(query['hub.mode']);
  const token = single(query['hub.verify_token']);
  const challenge = single(query['hub.challenge']);
  const expected = single(config.verify_token);
  if (!expected) {
    throw new ApiError('FORBIDDEN', 'The source has no config.verify_token to compare hub.verify_token with.');
  }
  if (mode !== 'subscribe') throw new ApiError('FORBIDDEN', 'hub.mode must be "subscribe".');
  if (token === null || !sameToken(token, expected)) {
    throw new ApiError('FORBIDDEN', 'hub.verify_token does not match the source’s config.verify_token.');
  }
  if (!challenge || challenge.length > 1000) {
    throw new ApiError('FORBIDDEN', 'hub.challenge is missing or longer than 1000 characters.');
  }
  return challenge;
}
