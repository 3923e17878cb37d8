/* Test-only helpers for the verifier specs: raw provider samples from test/fixtures/providers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerificationInput } from '../verifier';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'providers');

export interface ProviderFixture {
  /** The exact body bytes. */
  body: Buffer;
  /** Header names lower-cased as Node delivers them; repeated headers joined with ", " as Node does. */
  headers: Record<string, string>;
}

/** Loads `test/fixtures/providers/<provider>/<name>.{body,headers}`. */
export function loadFixture(provider: string, name: string): ProviderFixture {
  const base = join(FIXTURES, provider, name);
  const headers: Record<string, string> = {};
  for (const line of readFileSync(`${base}.headers`, 'utf8').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return { body: readFileSync(`${base}.body`), headers };
}

/** A verification input with neutral defaults (no headers, empty query, 300 s tolerance, now = the present). */
export function verificationInput(overrides: Partial<VerificationInput> = {}): VerificationInput {
  return {
    rawBody: Buffer.alloc(0),
    headers: {},
    query: {},
    secret: null,
    header: null,
    toleranceS: 300,
    now: new Date(),
    ...overrides,
  };
}

/** The input for a fixture as received (its body bytes and headers) with `secret`; `overrides` e.g. freeze `now`. */
export function fixtureInput(
  fixture: ProviderFixture,
  secret: string,
  overrides: Partial<VerificationInput> = {},
): VerificationInput {
  return verificationInput({ rawBody: fixture.body, headers: { ...fixture.headers }, secret, ...overrides });
}

/** `new Date` at unix second `seconds`. */
export function atUnix(seconds: number): Date {
  return new Date(seconds * 1000);
}

/** A copy of `body` with one byte changed (still the same length). */
export function tamper(body: Buffer): Buffer {
  const copy = Buffer.from(body);
  copy[copy.length - 1] ^= 0x01;
  return copy;
}
