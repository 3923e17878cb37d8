import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from './crypto';

export const WHSEC_PREFIX = 'whsec_';

/**
 * What `X-Webhook-Signature` covers: `timestamped` (the default) signs `"<X-Webhook-Timestamp>.<body>"`,
 * `body` signs the raw body alone (what receivers written as `hash_hmac('sha256', $body, $secret)` check).
 */
export const SIGNATURE_FORMATS = ['timestamped', 'body'] as const;
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number];

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HOOKHUB_SCHEME = 'sha256=';
const STANDARD_SCHEME = 'v1,';

/** A new secret: `whsec_` + base64 of 32 random bytes. */
export function generateSecret(): string {
  return WHSEC_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The Standard Webhooks signing key: base64-decoded part after `whsec_`, else the secret's UTF-8 bytes.
 * A `whsec_` secret whose remainder is not valid base64 counts as "other" and signs with its UTF-8 bytes.
 */
export function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : undefined;
  if (encoded !== undefined && BASE64.test(encoded)) {
    const key = Buffer.from(encoded, 'base64');
    if (key.length > 0) return key;
  }
  return Buffer.from(secret, 'utf8');
}

export interface SignInput {
  /** Current secret first, then the previous one during a rotation. */
  secrets: string[];
  eventId: string;
  /** Unix seconds. */
  timestamp: number;
  /** Exactly the bytes sent as the request body. */
  body: string;
  /** What `X-Webhook-Signature` covers; `timestamped` when omitted. */
  format?: SignatureFormat;
}

export interface SignatureHeaders {
  'X-Webhook-Timestamp': string;
  'X-Webhook-Signature': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * Hex HMAC-SHA256 keyed by the secret's UTF-8 bytes (the `X-Webhook-Signature` scheme) of `"<ts>.<body>"`,
 * or of the body alone in the `body` format.
 */
function hookhubDigest(secret: string, timestamp: string, body: string, format: SignatureFormat): string {
  const signed = format === 'body' ? body : `${timestamp}.${body}`;
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(signed, 'utf8').digest('hex');
}

/** Base64 HMAC-SHA256 of `"<event_id>.<ts>.<body>"` under the Standard Webhooks key. */
function standardDigest(secret: string, eventId: string, timestamp: string, body: string): string {
  const message = `${eventId}.${timestamp}.${body}`;
  return createHmac('sha256', standardWebhooksKey(secret)).update(message, 'utf8').digest('base64');
}

/**
 * X-Webhook-Signature: `sha256=<hex HMAC-SHA256(secret UTF-8, "<ts>.<body>")>` for each secret, space-separated
 * (`sha256=<hex HMAC-SHA256(secret UTF-8, body)>` in the `body` format);
 * webhook-signature: `v1,<base64 HMAC-SHA256(key, "<event_id>.<ts>.<body>")>` for each secret, space-separated,
 * whatever the format.
 */
export function signatureHeaders(input: SignInput): SignatureHeaders {
  const { secrets, eventId, body } = input;
  const format = input.format ?? 'timestamped';
  if (secrets.length === 0) throw new Error('signatureHeaders needs at least one secret');
  if (!Number.isSafeInteger(input.timestamp)) throw new RangeError('timestamp must be whole unix seconds');
  const timestamp = String(input.timestamp);
  return {
    'X-Webhook-Timestamp': timestamp,
    'X-Webhook-Signature': secrets.map((s) => HOOKHUB_SCHEME + hookhubDigest(s, timestamp, body, format)).join(' '),
    'webhook-id': eventId,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets.map((s) => STANDARD_SCHEME + standardDigest(s, eventId, timestamp, body)).join(' '),
  };
}

/**
 * Verifies `X-Webhook-Signature` the way a subscriber would (any listed signature matching, constant time).
 * It does not judge the timestamp's age: a subscriber should also refuse stale timestamps. In the `body`
 * format the timestamp is not signed and is ignored.
 */
export function verifyHookhubSignature(
  secret: string,
  timestamp: string,
  body: string,
  header: string,
  format: SignatureFormat = 'timestamped',
): boolean {
  const expected = HOOKHUB_SCHEME + hookhubDigest(secret, timestamp, body, format);
  let matched = false;
  for (const candidate of header.split(/\s+/)) {
    if (safeEqual(candidate, expected)) matched = true;
  }
  return matched;
}
