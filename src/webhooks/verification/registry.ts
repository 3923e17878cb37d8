import { HubSignatureVerifier, KommoChatsVerifier, WebhookSignatureVerifier } from './hex-signature.verifier';
import { SlackVerifier } from './slack.verifier';
import { StandardWebhooksVerifier } from './standard-webhooks.verifier';
import { StripeVerifier } from './stripe.verifier';
import {
  NoneVerifier,
  SharedTokenVerifier,
  sharedTokenHeader,
  TELEGRAM_SECRET_HEADER,
  TelegramVerifier,
  UrlTokenVerifier,
} from './token.verifier';
import { fail } from './verifier.helpers';
import type { VerificationInput, VerificationResult, VerificationScheme, Verifier } from './verifier';

/** Turns an unexpected exception (a bug, or input that is not even the declared shape) into a failed result. */
function neverThrows(verifier: Verifier): Verifier {
  return {
    scheme: verifier.scheme,
    verify(input: VerificationInput): VerificationResult {
      try {
        return verifier.verify(input);
      } catch {
        return fail('the request could not be verified');
      }
    },
  };
}

const VERIFIERS: Readonly<Record<VerificationScheme, Verifier>> = {
  'hmac-sha256': neverThrows(new WebhookSignatureVerifier('hmac-sha256')),
  'hmac-sha256-body': neverThrows(new WebhookSignatureVerifier('hmac-sha256-body')),
  'standard-webhooks': neverThrows(new StandardWebhooksVerifier()),
  github: neverThrows(new HubSignatureVerifier('github')),
  stripe: neverThrows(new StripeVerifier()),
  slack: neverThrows(new SlackVerifier()),
  telegram: neverThrows(new TelegramVerifier()),
  whatsapp: neverThrows(new HubSignatureVerifier('whatsapp')),
  'kommo-chats': neverThrows(new KommoChatsVerifier()),
  'shared-token': neverThrows(new SharedTokenVerifier()),
  'url-token': neverThrows(new UrlTokenVerifier()),
  none: new NoneVerifier(),
};

export function verifierFor(scheme: VerificationScheme): Verifier {
  const verifier = Object.hasOwn(VERIFIERS, scheme) ? VERIFIERS[scheme] : undefined;
  if (!verifier) throw new Error(`unknown verification scheme "${String(scheme)}"`);
  return verifier;
}

/** Schemes whose secret is required at source creation (all but 'none'). */
export function schemeNeedsSecret(scheme: VerificationScheme): boolean {
  return scheme !== 'none';
}

/**
 * The header whose value must never be stored or logged for this scheme (it IS the secret), lower-case; null if none.
 * Signature headers are not listed: an HMAC does not reveal its key.
 */
export function secretHeaderOf(scheme: VerificationScheme, header: string | null): string | null {
  switch (scheme) {
    case 'telegram':
      return TELEGRAM_SECRET_HEADER.toLowerCase();
    case 'shared-token':
      return sharedTokenHeader(header).toLowerCase();
    case 'hmac-sha256':
    case 'hmac-sha256-body':
    case 'standard-webhooks':
    case 'github':
    case 'stripe':
    case 'slack':
    case 'whatsapp':
    case 'kommo-chats':
    case 'url-token':
    case 'none':
      return null;
  }
}
