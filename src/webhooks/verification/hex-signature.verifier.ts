import {
  anyMatches,
  decodeHex,
  fail,
  hmac,
  nonNull,
  OK,
  readHeader,
  readHexSignature,
  requireSecret,
  timestampProblem,
} from './verifier.helpers';
import type { HexSignatureHeader } from './verifier.helpers';
import type { VerificationInput, VerificationResult, Verifier } from './verifier';

export const WEBHOOK_SIGNATURE_HEADER = 'X-Webhook-Signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'X-Webhook-Timestamp';
const SHA256_PREFIX = 'sha256=';

/** `sha256=<hex>` or bare hex, several separated by spaces or commas (rotation); unreadable entries are ignored. */
function parseWebhookSignatures(value: string): Buffer[] {
  return value
    .split(/[\s,]+/)
    .map((entry) => {
      const hex =
        entry.slice(0, SHA256_PREFIX.length).toLowerCase() === SHA256_PREFIX
          ? entry.slice(SHA256_PREFIX.length)
          : entry;
      return decodeHex(hex, 32);
    })
    .filter(nonNull);
}

/**
 * Hookhub's own scheme (docs/api.md used inbound): `X-Webhook-Signature` (or `input.header`) holds HMAC-SHA256 of
 * `"<X-Webhook-Timestamp>.<body>"` (`hmac-sha256`) or of the body alone (`hmac-sha256-body`), keyed by the secret's UTF-8.
 */
export class WebhookSignatureVerifier implements Verifier {
  constructor(readonly scheme: 'hmac-sha256' | 'hmac-sha256-body') {}

  verify(input: VerificationInput): VerificationResult {
    const secret = requireSecret(input.secret);
    if (!secret.ok) return secret;
    const name = input.header?.trim() || WEBHOOK_SIGNATURE_HEADER;
    const header = readHeader(input.headers, name);
    if (!header.ok) return header;
    const candidates = parseWebhookSignatures(header.value);
    if (candidates.length === 0) return fail(`${name} header holds no sha256=<hex> signature`);
    let expected: Buffer;
    if (this.scheme === 'hmac-sha256') {
      const timestamp = readHeader(input.headers, WEBHOOK_TIMESTAMP_HEADER);
      if (!timestamp.ok) return timestamp;
      const problem = timestampProblem(timestamp.value, `${WEBHOOK_TIMESTAMP_HEADER} header`, input);
      if (problem) return problem;
      expected = hmac('sha256', secret.value, `${timestamp.value}.`, input.rawBody);
    } else {
      expected = hmac('sha256', secret.value, input.rawBody);
    }
    return anyMatches(expected, candidates) ? OK : fail('signature does not match');
  }
}

const HUB_SIGNATURE_256: HexSignatureHeader = {
  name: 'X-Hub-Signature-256',
  prefix: SHA256_PREFIX,
  bytes: 32,
  form: 'sha256=<hex>',
};

/** GitHub and Meta (WhatsApp): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(secret, body)>`; for Meta the secret is the app secret. */
export class HubSignatureVerifier implements Verifier {
  constructor(readonly scheme: 'github' | 'whatsapp') {}

  verify(input: VerificationInput): VerificationResult {
    const secret = requireSecret(input.secret);
    if (!secret.ok) return secret;
    const signature = readHexSignature(input.headers, HUB_SIGNATURE_256);
    if (!signature.ok) return signature;
    return anyMatches(hmac('sha256', secret.value, input.rawBody), [signature.value])
      ? OK
      : fail('signature does not match');
  }
}

const KOMMO_SIGNATURE: HexSignatureHeader = { name: 'X-Signature', prefix: '', bytes: 20, form: '<hex HMAC-SHA1>' };

/** Kommo Chats API (amojo) hooks: `X-Signature` = hex HMAC-SHA1(channel secret, body), either case. */
export class KommoChatsVerifier implements Verifier {
  readonly scheme = 'kommo-chats';

  verify(input: VerificationInput): VerificationResult {
    const secret = requireSecret(input.secret);
    if (!secret.ok) return secret;
    const signature = readHexSignature(input.headers, KOMMO_SIGNATURE);
    if (!signature.ok) return signature;
    return anyMatches(hmac('sha1', secret.value, input.rawBody), [signature.value])
      ? OK
      : fail('signature does not match');
  }
}
