import { createHmac } from 'node:crypto';
import { safeEqual, sha256Hex } from '../../common/crypto';
import type { VerificationInput, VerificationResult } from './verifier';

export type Failure = { ok: false; reason: string };
export type Read<T> = { ok: true; value: T } | Failure;

export const OK: VerificationResult = Object.freeze({ ok: true });

export function fail(reason: string): Failure {
  return { ok: false, reason };
}

/** The source's secret; an empty or absent one verifies nothing. */
export function requireSecret(secret: string | null): Read<string> {
  if (typeof secret !== 'string' || secret === '') return fail('no secret is configured for this source');
  return { ok: true, value: secret };
}

function lookup(headers: VerificationInput['headers'], lowerName: string): unknown {
  if (Object.hasOwn(headers, lowerName)) return headers[lowerName];
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lowerName) return value;
  return undefined;
}

/** The single value of header `name` (matched case-insensitively; `name` is shown in reasons as written). */
export function readHeader(headers: VerificationInput['headers'], name: string): Read<string> {
  const value = lookup(headers, name.toLowerCase());
  if (value === undefined) return fail(`missing ${name} header`);
  if (Array.isArray(value)) return fail(`${name} header was sent more than once`);
  if (typeof value !== 'string') return fail(`${name} header is malformed`);
  const trimmed = value.trim();
  if (trimmed === '') return fail(`${name} header is empty`);
  return { ok: true, value: trimmed };
}

const UNIX_SECONDS = /^\d{1,12}$/;

/** Null when `raw` is unix seconds within `toleranceS` of `now` (either side); else why not. `label` names where it came from. */
export function timestampProblem(raw: string, label: string, input: VerificationInput): Failure | null {
  if (!UNIX_SECONDS.test(raw)) return fail(`${label} is not a unix time in seconds`);
  const nowS = Math.floor(input.now.getTime() / 1000);
  const { toleranceS } = input;
  if (!Number.isFinite(nowS) || !Number.isFinite(toleranceS) || toleranceS < 0) {
    return fail('the timestamp tolerance or the clock is not usable');
  }
  if (Math.abs(nowS - Number(raw)) > toleranceS)
    return fail(`timestamp ${raw} is outside the ${toleranceS} s tolerance`);
  return null;
}

/** HMAC of the concatenated parts (strings as UTF-8); a string key is used as its UTF-8 bytes. */
export function hmac(algorithm: 'sha1' | 'sha256', key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The bytes of a hex digest of exactly `bytes` bytes (either case), else null. */
export function decodeHex(text: string, bytes: number): Buffer | null {
  return text.length === bytes * 2 && HEX.test(text) ? Buffer.from(text, 'hex') : null;
}

/** The bytes of a canonical base64 digest of exactly `bytes` bytes, else null. */
export function decodeBase64(text: string, bytes: number): Buffer | null {
  if (!BASE64.test(text)) return null;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length === bytes && decoded.toString('base64') === text ? decoded : null;
}

/** Whether any candidate equals `expected`; every candidate is compared, each in constant time. */
export function anyMatches(expected: Buffer, candidates: readonly Buffer[]): boolean {
  let matched = false;
  for (const candidate of candidates) matched = safeEqual(candidate, expected) || matched;
  return matched;
}

/** Constant-time token comparison that also hides the secret's length (both sides are hashed first). */
export function tokenMatches(given: string, secret: string): boolean {
  return safeEqual(sha256Hex(given), sha256Hex(secret));
}

export function nonNull<T>(value: T | null): value is T {
  return value !== null;
}

export interface HexSignatureHeader {
  /** The header's name as shown in reasons, e.g. `X-Hub-Signature-256`. */
  name: string;
  /** Required prefix, matched case-insensitively (`sha256=`, `v0=`, or '' for bare hex). */
  prefix: string;
  /** Digest length in bytes: 32 for SHA-256, 20 for SHA-1. */
  bytes: number;
  /** The expected form, for reasons: `sha256=<hex>`. */
  form: string;
}

/** The digest bytes of a header that holds exactly one `<prefix><hex>` signature. */
export function readHexSignature(headers: VerificationInput['headers'], spec: HexSignatureHeader): Read<Buffer> {
  const header = readHeader(headers, spec.name);
  if (!header.ok) return header;
  const { value } = header;
  const prefixed = value.slice(0, spec.prefix.length).toLowerCase() === spec.prefix;
  const digest = prefixed ? decodeHex(value.slice(spec.prefix.length), spec.bytes) : null;
  return digest ? { ok: true, value: digest } : fail(`${spec.name} header is not of the form ${spec.form}`);
}
