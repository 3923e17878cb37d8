import { Webhook } from 'standardwebhooks';
import { signatureHeaders } from '../../common/signing';
import { verifierFor } from './index';
import type { VerificationInput } from './index';
import { atUnix, tamper, verificationInput } from './testing/provider-fixtures';

const failed = (reason: string | RegExp): unknown => ({ ok: false, reason: expect.stringMatching(reason) });
const verifier = verifierFor('standard-webhooks');

// The Standard Webhooks specification's published test vector.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = Buffer.from('{"test": 2432232314}');
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

function vector(overrides: Partial<VerificationInput> = {}): VerificationInput {
  return verificationInput({
    rawBody: BODY,
    headers: { 'webhook-id': MSG_ID, 'webhook-timestamp': String(TS), 'webhook-signature': SIGNATURE },
    secret: SECRET,
    now: atUnix(TS),
    ...overrides,
  });
}

describe('standard-webhooks (webhook-id / webhook-timestamp / webhook-signature)', () => {
  it("accepts the specification's test vector", () => {
    expect(verifier.verify(vector())).toEqual({ ok: true });
  });

  it('accepts what the reference library signs', () => {
    const now = new Date();
    const signature = new Webhook(SECRET).sign('msg_2', now, BODY);
    const input = vector({
      now,
      headers: {
        'webhook-id': 'msg_2',
        'webhook-timestamp': String(Math.floor(+now / 1000)),
        'webhook-signature': signature,
      },
    });
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it('accepts what Hookhub sends, with a secret that is not whsec_ (keyed by its UTF-8 bytes), during a rotation', () => {
    const secret = 'my-custom-secret-123456';
    const body = '{"event_type":"deal.won"}';
    const headers = signatureHeaders({
      secrets: ['whsec_b2xkLXNlY3JldA==', secret],
      eventId: 'evt_1',
      timestamp: TS,
      body,
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    const input = vector({
      rawBody: Buffer.from(body),
      secret,
      headers: {
        'webhook-id': headers['webhook-id'],
        'webhook-timestamp': headers['webhook-timestamp'],
        'webhook-signature': headers['webhook-signature'],
      },
    });
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it('accepts the match among several space-separated signatures and ignores other versions', () => {
    const header = `v1a,${'A'.repeat(86)}== v1,${Buffer.alloc(32).toString('base64')} ${SIGNATURE}`;
    expect(verifier.verify(vector({ headers: { ...vector().headers, 'webhook-signature': header } }))).toEqual({
      ok: true,
    });
  });

  it('rejects a tampered body', () => {
    expect(verifier.verify(vector({ rawBody: tamper(BODY) }))).toEqual(failed('signature does not match'));
  });

  it('rejects a wrong secret without naming it', () => {
    const wrong = 'whsec_' + Buffer.from('another key of some length').toString('base64');
    const result = verifier.verify(vector({ secret: wrong }));
    expect(result).toEqual(failed('^signature does not match$'));
    expect(JSON.stringify(result)).not.toContain(wrong);
  });

  it('rejects a signature for another message id', () => {
    expect(verifier.verify(vector({ headers: { ...vector().headers, 'webhook-id': 'msg_other' } }))).toEqual(
      failed('signature does not match'),
    );
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])('rejects a missing %s header', (name) => {
    const input = vector();
    delete input.headers[name];
    expect(verifier.verify(input)).toEqual(failed(`^missing ${name} header$`));
  });

  it('rejects a stale timestamp and one too far ahead', () => {
    expect(verifier.verify(vector({ now: atUnix(TS + 301) }))).toEqual(
      failed(`^timestamp ${TS} is outside the 300 s tolerance$`),
    );
    expect(verifier.verify(vector({ now: atUnix(TS - 301) }))).toEqual(failed('outside the 300 s tolerance'));
    expect(verifier.verify(vector({ now: new Date() }))).toEqual(failed('outside the 300 s tolerance'));
  });

  it.each([
    ['no v1 entry', 'v2,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['bad base64', 'v1,not base64!'],
    ['a truncated digest', 'v1,g0hM9SsE+OTPJTGt'],
    ['a hex digest', `v1,${'ab'.repeat(32)}`],
  ])('rejects a signature header with %s', (_case, value) => {
    expect(verifier.verify(vector({ headers: { ...vector().headers, 'webhook-signature': value } }))).toEqual(
      failed('webhook-signature header holds no v1,<base64> signature'),
    );
  });
});
