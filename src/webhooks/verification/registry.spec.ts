import { schemeNeedsSecret, secretHeaderOf, VERIFICATION_SCHEMES, verifierFor } from './index';
import type { VerificationInput, VerificationScheme } from './index';
import { verificationInput } from './testing/provider-fixtures';

describe('verifierFor', () => {
  it.each(VERIFICATION_SCHEMES)('gives the %s verifier', (scheme) => {
    expect(verifierFor(scheme).scheme).toBe(scheme);
  });

  it('refuses a scheme it does not know', () => {
    expect(() => verifierFor('md5' as VerificationScheme)).toThrow('unknown verification scheme "md5"');
    expect(() => verifierFor('toString' as VerificationScheme)).toThrow('unknown verification scheme');
  });
});

describe('schemeNeedsSecret', () => {
  it('is true for every scheme but none', () => {
    const needing = VERIFICATION_SCHEMES.filter(schemeNeedsSecret);
    expect(needing).toEqual(VERIFICATION_SCHEMES.filter((s) => s !== 'none'));
  });
});

describe('secretHeaderOf', () => {
  it('names the Telegram secret-token header', () => {
    expect(secretHeaderOf('telegram', null)).toBe('x-telegram-bot-api-secret-token');
    expect(secretHeaderOf('telegram', 'X-Other')).toBe('x-telegram-bot-api-secret-token');
  });

  it('names the shared-token header, default or configured, in lower case', () => {
    expect(secretHeaderOf('shared-token', null)).toBe('x-webhook-token');
    expect(secretHeaderOf('shared-token', 'X-Api-Token')).toBe('x-api-token');
  });

  it('is null for signature schemes (an HMAC does not reveal its key), url-token and none', () => {
    const others = VERIFICATION_SCHEMES.filter((s) => s !== 'telegram' && s !== 'shared-token');
    expect(others.map((s) => secretHeaderOf(s, 'X-Custom'))).toEqual(others.map(() => null));
  });
});

describe('every verifier, on malformed input', () => {
  const secured = VERIFICATION_SCHEMES.filter((s) => s !== 'none');
  const GARBAGE_HEADERS: VerificationInput['headers'][] = [
    {},
    {
      'x-webhook-signature': ['sha256=00', 'sha256=11'],
      'x-webhook-timestamp': ['1', '2'],
      'webhook-id': ['a', 'b'],
      'webhook-timestamp': ['1', '2'],
      'webhook-signature': ['v1,a', 'v1,b'],
      'x-hub-signature-256': ['sha256=00', 'sha256=11'],
      'stripe-signature': ['t=1', 'v1=2'],
      'x-slack-signature': ['v0=1', 'v0=2'],
      'x-slack-request-timestamp': ['1', '2'],
      'x-telegram-bot-api-secret-token': ['a', 'b'],
      'x-signature': ['a', 'b'],
      'x-webhook-token': ['a', 'b'],
    },
    {
      'x-webhook-signature': 'sha256=ZZ\u0000\uffff',
      'x-webhook-timestamp': '-1e309',
      'webhook-id': '..',
      'webhook-timestamp': 'NaN',
      'webhook-signature': 'v1, v1,, v1,===',
      'x-hub-signature-256': 'sha256=',
      'stripe-signature': 't=,v1=,=,t',
      'x-slack-signature': 'v0=',
      'x-slack-request-timestamp': '99999999999999999999',
      'x-telegram-bot-api-secret-token': ' ',
      'x-signature': 'g'.repeat(40),
      'x-webhook-token': '\u0000',
    },
  ];

  it.each(secured)('%s fails with a reason instead of throwing', (scheme) => {
    const verifier = verifierFor(scheme);
    for (const headers of GARBAGE_HEADERS) {
      for (const query of [{}, { token: ['a', 'b'] }, { token: { nested: 'x' } }]) {
        const result = verifier.verify(
          verificationInput({ headers, query, secret: 'a-secret', rawBody: Buffer.alloc(0) }),
        );
        expect(result).toEqual({ ok: false, reason: expect.any(String) });
        expect((result as { reason: string }).reason).not.toContain('a-secret');
      }
    }
  });

  it.each(secured)('%s refuses a source with no secret', (scheme) => {
    const input = verificationInput({ secret: null, headers: { 'x-webhook-token': '' }, query: { token: '' } });
    expect(verifierFor(scheme).verify(input)).toEqual({ ok: false, reason: 'no secret is configured for this source' });
  });

  it.each(secured)('%s fails instead of throwing when the input is not even the declared shape', (scheme) => {
    const broken = {
      rawBody: undefined,
      headers: null,
      query: null,
      secret: 'a-secret',
    } as unknown as VerificationInput;
    expect(verifierFor(scheme).verify(broken)).toEqual({ ok: false, reason: expect.any(String) });
  });

  it.each(['hmac-sha256', 'slack', 'stripe', 'standard-webhooks'] as const)(
    '%s fails when the tolerance or the clock is unusable',
    (scheme) => {
      const headers = {
        'x-webhook-signature': 'sha256=' + '0'.repeat(64),
        'x-webhook-timestamp': '1726140000',
        'x-slack-signature': 'v0=' + '0'.repeat(64),
        'x-slack-request-timestamp': '1726140000',
        'stripe-signature': `t=1726140000,v1=${'0'.repeat(64)}`,
        'webhook-id': 'msg_1',
        'webhook-timestamp': '1726140000',
        'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}`,
      };
      for (const bad of [{ toleranceS: Number.NaN }, { toleranceS: -1 }, { now: new Date(Number.NaN) }]) {
        const input = verificationInput({ headers, secret: 'a-secret', ...bad });
        expect(verifierFor(scheme).verify(input)).toEqual({
          ok: false,
          reason: 'the timestamp tolerance or the clock is not usable',
        });
      }
    },
  );
});
