import { standardWebhooksKey } from '../../common/signing';
import {
  anyMatches,
  decodeBase64,
  fail,
  hmac,
  nonNull,
  OK,
  readHeader,
  requireSecret,
  timestampProblem,
} from './verifier.helpers';
import type { VerificationInput, VerificationResult, Verifier } from './verifier';

const V1 = 'v1,';

/** `v1,<base64>` entries, space-separated; other versions (`v1a,…`) and unreadable entries are ignored. */
function parseSignatures(value: string): Buffer[] {
  return value
    .split(/\s+/)
    .map((entry) => (entry.startsWith(V1) ? decodeBase64(entry.slice(V1.length), 32) : null))
    .filter(nonNull);
}

/**
 * Standard Webhooks: `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`,
 * key = base64-decoded part after `whsec_`, else the secret's UTF-8 bytes (same key as our outgoing signatures).
 */
export class StandardWebhooksVerifier implements Verifier {
  readonly scheme = 'standard-webhooks';

  verify(input: VerificationInput): VerificationResult {
    const secret = requireSecret(input.secret);
    if (!secret.ok) return secret;
    const id = readHeader(input.headers, 'webhook-id');
    if (!id.ok) return id;
    const timestamp = readHeader(input.headers, 'webhook-timestamp');
    if (!timestamp.ok) return timestamp;
    const header = readHeader(input.headers, 'webhook-signature');
    if (!header.ok) return header;
    const candidates = parseSignatures(header.value);
    if (candidates.length === 0) return fail('webhook-signature header holds no v1,<base64> signature');
    const problem = timestampProblem(timestamp.value, 'webhook-timestamp header', input);
    if (problem) return problem;
    const expected = hmac(
      'sha256',
      standardWebhooksKey(secret.value),
      `${id.value}.${timestamp.value}.`,
      input.rawBody,
    );
    return anyMatches(expected, candidates) ? OK : fail('signature does not match');
  }
}
