import {
  anyMatches,
  decodeHex,
  fail,
  hmac,
  nonNull,
  OK,
  readHeader,
  requireSecret,
  timestampProblem,
} from './verifier.helpers';
import type { Read } from './verifier.helpers';
import type { VerificationInput, VerificationResult, Verifier } from './verifier';

const HEADER = 'Stripe-Signature';

interface StripeSignature {
  timestamp: string;
  /** Every readable `v1` digest; other schemes (`v0`) are ignored. */
  v1: Buffer[];
}

/** `t=<ts>,v1=<hex>[,v1=…][,v0=…]`: split on `,`, then on the first `=`. */
function parseStripeSignature(value: string): Read<StripeSignature> {
  const timestamps: string[] = [];
  const v1: string[] = [];
  for (const element of value.split(',')) {
    const eq = element.indexOf('=');
    if (eq <= 0) continue;
    const key = element.slice(0, eq).trim();
    const text = element.slice(eq + 1).trim();
    if (key === 't') timestamps.push(text);
    else if (key === 'v1') v1.push(text);
  }
  if (timestamps.length !== 1) return fail(`${HEADER} header must hold exactly one timestamp (t=)`);
  const digests = v1.map((hex) => decodeHex(hex, 32)).filter(nonNull);
  if (digests.length === 0) return fail(`${HEADER} header holds no v1=<hex> signature`);
  return { ok: true, value: { timestamp: timestamps[0], v1: digests } };
}

/** Stripe: HMAC-SHA256 keyed by the whole endpoint secret (`whsec_…` included) over `"<t>.<body>"`; any `v1` may match. */
export class StripeVerifier implements Verifier {
  readonly scheme = 'stripe';

  verify(input: VerificationInput): VerificationResult {
    const secret = requireSecret(input.secret);
    if (!secret.ok) return secret;
    const header = readHeader(input.headers, HEADER);
    if (!header.ok) return header;
    const signature = parseStripeSignature(header.value);
    if (!signature.ok) return signature;
    const { timestamp, v1 } = signature.value;
    const problem = timestampProblem(timestamp, `${HEADER} timestamp (t=)`, input);
    if (problem) return problem;
    return anyMatches(hmac('sha256', secret.value, `${timestamp}.`, input.rawBody), v1)
      ? OK
      : fail('signature does not match');
  }
}
