import { createHmac } from 'node:crypto';
import { verifierFor } from './index';
import type { VerificationInput } from './index';
import { atUnix, tamper, verificationInput } from './testing/provider-fixtures';

const failed = (reason: string | RegExp): unknown => ({ ok: false, reason: expect.stringMatching(reason) });
const verifier = verifierFor('stripe');

// The test endpoint secret and timestamp of the stripe/payment-intent-succeeded sample (fixtures/SECRETS.md).
const SECRET = 'whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH';
const T = 1726140100;
const BODY = Buffer.from(
  '{\n  "id": "evt_3PyTest0000000000000000",\n  "object": "event",\n  "type": "payment_intent.succeeded",\n' +
    '  "data": {\n    "object": {\n      "id": "pi_3PyTest",\n      "amount": 2000,\n      "currency": "usd"\n    }\n  }\n}',
);

/** How stripe-node's `generateTestHeaderString` signs: HMAC-SHA256 keyed by the whole secret string. */
function v1(secret: string | Buffer = SECRET, t = T, body = BODY): string {
  return createHmac('sha256', secret).update(`${t}.`).update(body).digest('hex');
}

function signed(header: string, overrides: Partial<VerificationInput> = {}): VerificationInput {
  return verificationInput({
    rawBody: BODY,
    headers: { 'stripe-signature': header },
    secret: SECRET,
    now: atUnix(T),
    ...overrides,
  });
}

describe('stripe (Stripe-Signature: t=…,v1=…)', () => {
  it('accepts a v1 signature keyed by the whole whsec_ string', () => {
    expect(verifier.verify(signed(`t=${T},v1=${v1()}`))).toEqual({ ok: true });
  });

  it('rejects a signature keyed by the base64-decoded secret (that is Standard Webhooks, not Stripe)', () => {
    const decodedKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    expect(verifier.verify(signed(`t=${T},v1=${v1(decodedKey)}`))).toEqual(failed('signature does not match'));
  });

  it('accepts any of several v1 signatures (secret rotation) and ignores v0', () => {
    const header = `t=${T},v1=${v1('whsec_old')},v1=${v1()},v0=${v1('whsec_test_mode')}`;
    expect(verifier.verify(signed(header))).toEqual({ ok: true });
  });

  it('does not accept a matching v0 in place of v1', () => {
    expect(verifier.verify(signed(`t=${T},v0=${v1()}`))).toEqual(failed('holds no v1=<hex> signature'));
  });

  it('rejects a tampered body', () => {
    expect(verifier.verify(signed(`t=${T},v1=${v1()}`, { rawBody: tamper(BODY) }))).toEqual(
      failed('signature does not match'),
    );
  });

  it('rejects a wrong secret', () => {
    expect(verifier.verify(signed(`t=${T},v1=${v1()}`, { secret: 'whsec_someone_else' }))).toEqual(
      failed('^signature does not match$'),
    );
  });

  it('rejects a missing Stripe-Signature header', () => {
    expect(verifier.verify(signed('', { headers: {} }))).toEqual(failed('^missing Stripe-Signature header$'));
  });

  it('rejects a stale timestamp, and one too far ahead', () => {
    expect(verifier.verify(signed(`t=${T},v1=${v1()}`, { now: atUnix(T + 301) }))).toEqual(
      failed(`^timestamp ${T} is outside the 300 s tolerance$`),
    );
    expect(verifier.verify(signed(`t=${T},v1=${v1()}`, { now: atUnix(T - 301) }))).toEqual(
      failed('outside the 300 s tolerance'),
    );
    expect(verifier.verify(signed(`t=${T},v1=${v1()}`, { now: atUnix(T + 300) }))).toEqual({ ok: true });
  });

  it('rejects a signature moved to a fresh t= (the timestamp is signed)', () => {
    expect(verifier.verify(signed(`t=${T + 100},v1=${v1()}`, { now: atUnix(T + 100) }))).toEqual(
      failed('signature does not match'),
    );
  });

  it.each([
    ['no t=', `v1=${v1()}`, 'must hold exactly one timestamp'],
    ['two t=', `t=${T},t=${T},v1=${v1()}`, 'must hold exactly one timestamp'],
    ['a non-numeric t=', `t=now,v1=${v1()}`, 'Stripe-Signature timestamp \\(t=\\) is not a unix time in seconds'],
    ['no v1=', `t=${T}`, 'holds no v1=<hex> signature'],
    ['bad hex in v1=', `t=${T},v1=${v1().replace(/.$/, 'g')}`, 'holds no v1=<hex> signature'],
    ['garbage', ',,,=,==', 'must hold exactly one timestamp'],
  ])('rejects a header with %s', (_case, header, reason) => {
    expect(verifier.verify(signed(header))).toEqual(failed(reason));
  });
});
