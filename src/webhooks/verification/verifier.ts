/** How an inbound request proves it comes from the source's sender (docs/api.md). */
export const VERIFICATION_SCHEMES = [
  'hmac-sha256',
  'hmac-sha256-body',
  'standard-webhooks',
  'github',
  'stripe',
  'slack',
  'telegram',
  'whatsapp',
  'kommo-chats',
  'shared-token',
  'url-token',
  'none',
] as const;

export type VerificationScheme = (typeof VERIFICATION_SCHEMES)[number];

export interface VerificationInput {
  /** The exact bytes received. */
  rawBody: Buffer;
  /** Node's IncomingHttpHeaders: lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** The ingest URL's parsed query (`?token=…`). */
  query: Record<string, unknown>;
  /** Null only for 'none'. */
  secret: string | null;
  /** Header-name override: the signature header of `hmac-sha256`/`hmac-sha256-body`, the token header of `shared-token`. */
  header: string | null;
  /** Timestamp tolerance in seconds, applied both ways (too old and too far in the future). */
  toleranceS: number;
  now: Date;
}

/** `reason` is one human sentence; it never holds the secret or the expected signature. */
export type VerificationResult = { ok: true } | { ok: false; reason: string };

export interface Verifier {
  readonly scheme: VerificationScheme;
  /** Never throws: malformed input is a failed result with a reason. */
  verify(input: VerificationInput): VerificationResult;
}
