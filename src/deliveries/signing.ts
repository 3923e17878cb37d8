import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../common/crypto';

export const WHSEC_PREFIX = 'whsec_';

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
}

export interface SignatureHeaders {
  'X-Webhook-Timestamp': string;
  'X-Webhook-Signature': string;
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/** Hex HMAC-SHA256 of `"<ts>.<body>"` keyed by the secret's UTF-8 bytes (the `X-Webhook-Signature` scheme). */
function hookhubDigest(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

/** Base64 HMAC-SHA256 of `"<event_id>.<ts>.<body>"` under the Standard Webhooks key. */
function standardDigest(secret: string, eventId: string, timestamp: string, body: string): string {
  const message = `${eventId}.${timestamp}.${body}`;
  return createHmac('sha256', standardWebhooksKey(secret)).update(message, 'utf8').digest('base64');
}

/**
 * X-Webhook-Signature: `sha256=<hex HMAC-SHA256(secret UTF-8, "<ts>.<body>")>` for each secret, space-separated;
 * webhook-signature: `v1,<base64 HMAC-SHA256(key, "<event_id>.<ts>.<body>")>` for each secret, space-separated.
 */
export function signatureHeaders(input: SignInput): SignatureHeaders {
  const { secrets, eventId, body } = input;
  if (secrets.length === 0) throw new Error('signatureHeaders needs at least one secret');
  if (!Number.isSafeInteger(input.timestamp)) throw new RangeError('timestamp must be whole unix seconds');
  const timestamp = String(input.timestamp);
  return {
    'X-Webhook-Timestamp': timestamp,
    'X-Webhook-Signature': secrets.map((s) => HOOKHUB_SCHEME + hookhubDigest(s, timestamp, body)).join(' '),
    'webhook-id': eventId,
    'webhook-timestamp': timestamp,
    'webhook-signature': secrets.map((s) => STANDARD_SCHEME + standardDigest(s, eventId, timestamp, body)).join(' '),
  };
}

/**
 * Verifies `X-Webhook-Signature` the way a subscriber would (any listed signature matching, constant time).
 * It does not judge the timestamp's age: a subscriber should also refuse stale timestamps.
 */
export function verifyHookhubSignature(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = HOOKHUB_SCHEME + hookhubDigest(secret, timestamp, body);
  let matched = false;
  for (const candidate of header.split(/\s+/)) {
    if (safeEqual(candidate, expected)) matched = true;
  }
  return matched;
}
