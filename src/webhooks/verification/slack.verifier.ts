import {
  anyMatches,
  fail,
  hmac,
  OK,
  readHeader,
  readHexSignature,
  requireSecret,
  timestampProblem,
} from './verifier.helpers';
import type { VerificationInput, VerificationResult, Verifier } from './verifier';

const TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
const SIGNATURE = { name: 'X-Slack-Signature', prefix: 'v0=', bytes: 32, form: 'v0=<hex>' };

/** Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:<X-Slack-Request-Timestamp>:<body>")>`. */
export class SlackVerifier implements Verifier {
  readonly scheme = 'slack';

  verify(input: VerificationInput): VerificationResult {
    const secret = requireSecret(input.secret);
    if (!secret.ok) return secret;
    const timestamp = readHeader(input.headers, TIMESTAMP_HEADER);
    if (!timestamp.ok) return timestamp;
    const signature = readHexSignature(input.headers, SIGNATURE);
    if (!signature.ok) return signature;
    const problem = timestampProblem(timestamp.value, `${TIMESTAMP_HEADER} header`, input);
    if (problem) return problem;
    const expected = hmac('sha256', secret.value, `v0:${timestamp.value}:`, input.rawBody);
    return anyMatches(expected, [signature.value]) ? OK : fail('signature does not match');
  }
}
