import { createHmac } from 'node:crypto';
import { signatureHeaders } from '../../common/signing';
import { verifierFor } from './index';
import type { VerificationInput } from './index';
import { atUnix, fixtureInput, loadFixture, tamper, verificationInput } from './testing/provider-fixtures';

const failed = (reason: string | RegExp): unknown => ({ ok: false, reason: expect.stringMatching(reason) });

/** Node hands us header names in lower case; signing.ts writes them as they go on the wire. */
function lowerCased(headers: object): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

describe('hmac-sha256 (X-Webhook-Signature over "<X-Webhook-Timestamp>.<body>")', () => {
  const verifier = verifierFor('hmac-sha256');
  const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const OLD_SECRET = 'previous-secret-before-rotation';
  const BODY = '{"event_type":"deal.won","data":{"name":"Сделка","amount":1500}}';
  const TS = 1726140000;

  function signed(overrides: Partial<VerificationInput> = {}, secrets = [SECRET]): VerificationInput {
    const headers = signatureHeaders({ secrets, eventId: 'evt_1', timestamp: TS, body: BODY });
    return verificationInput({
      rawBody: Buffer.from(BODY),
      headers: lowerCased({
        'X-Webhook-Timestamp': headers['X-Webhook-Timestamp'],
        'X-Webhook-Signature': headers['X-Webhook-Signature'],
      }),
      secret: SECRET,
      now: atUnix(TS + 10),
      ...overrides,
    });
  }

  const hex = (secret: string, ts = TS, body = BODY): string =>
    createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');

  it('accepts what Hookhub itself sends to subscribers', () => {
    expect(verifier.verify(signed())).toEqual({ ok: true });
  });

  it('accepts either signature during a secret rotation', () => {
    expect(verifier.verify(signed({}, [SECRET, OLD_SECRET]))).toEqual({ ok: true });
    expect(verifier.verify(signed({}, [OLD_SECRET, SECRET]))).toEqual({ ok: true });
    expect(verifier.verify(signed({ secret: OLD_SECRET }, [SECRET, OLD_SECRET]))).toEqual({ ok: true });
  });

  it.each([
    ['bare hex', () => hex(SECRET)],
    ['comma-separated, the match last', () => `sha256=${hex(OLD_SECRET)},sha256=${hex(SECRET)}`],
    ['comma and space separated, bare', () => `${hex(OLD_SECRET)}, ${hex(SECRET)}`],
    ['upper-case hex and prefix', () => `SHA256=${hex(SECRET).toUpperCase()}`],
  ])('accepts %s', (_form, signature) => {
    const input = signed();
    input.headers['x-webhook-signature'] = signature();
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it('reads the signature from the header the source names instead', () => {
    const input = signed({ header: 'X-Partner-Signature' });
    input.headers['x-partner-signature'] = input.headers['x-webhook-signature'];
    delete input.headers['x-webhook-signature'];
    expect(verifier.verify(input)).toEqual({ ok: true });
    delete input.headers['x-partner-signature'];
    expect(verifier.verify(input)).toEqual(failed('missing X-Partner-Signature header'));
  });

  it('rejects a tampered body', () => {
    expect(verifier.verify(signed({ rawBody: tamper(Buffer.from(BODY)) }))).toEqual(failed('signature does not match'));
  });

  it('rejects a wrong secret without revealing the secret or the expected signature', () => {
    const result = verifier.verify(signed({ secret: 'not-the-secret' }));
    expect(result).toEqual(failed(/^signature does not match$/));
    const reason = (result as { reason: string }).reason;
    expect(reason).not.toContain('not-the-secret');
    expect(reason).not.toContain(hex('not-the-secret'));
  });

  it('rejects a signature made for another timestamp (replayed with a fresh X-Webhook-Timestamp)', () => {
    const input = signed({ now: atUnix(TS + 1000) });
    input.headers['x-webhook-timestamp'] = String(TS + 1000);
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });

  it('rejects a missing signature header', () => {
    const input = signed();
    delete input.headers['x-webhook-signature'];
    expect(verifier.verify(input)).toEqual(failed('missing X-Webhook-Signature header'));
  });

  it('rejects a missing timestamp header', () => {
    const input = signed();
    delete input.headers['x-webhook-timestamp'];
    expect(verifier.verify(input)).toEqual(failed('missing X-Webhook-Timestamp header'));
  });

  it('rejects a stale timestamp and one too far in the future, and accepts the edge of the tolerance', () => {
    expect(verifier.verify(signed({ now: atUnix(TS + 301) }))).toEqual(
      failed(`^timestamp ${TS} is outside the 300 s tolerance$`),
    );
    expect(verifier.verify(signed({ now: atUnix(TS - 301) }))).toEqual(failed('outside the 300 s tolerance'));
    expect(verifier.verify(signed({ now: atUnix(TS + 300) }))).toEqual({ ok: true });
    expect(verifier.verify(signed({ now: atUnix(TS + 60), toleranceS: 30 }))).toEqual(
      failed('outside the 30 s tolerance'),
    );
  });

  it.each([
    ['a timestamp in milliseconds', { 'x-webhook-timestamp': String(TS * 1000) }, 'not a unix time in seconds'],
    ['a non-numeric timestamp', { 'x-webhook-timestamp': 'yesterday' }, 'not a unix time in seconds'],
    ['bad hex', { 'x-webhook-signature': 'sha256=zz' + 'a'.repeat(62) }, 'holds no sha256=<hex> signature'],
    ['a truncated signature', { 'x-webhook-signature': 'sha256=abcdef' }, 'holds no sha256=<hex> signature'],
    ['an empty signature', { 'x-webhook-signature': '' }, 'X-Webhook-Signature header is empty'],
    ['another scheme', { 'x-webhook-signature': 'v1,abc=' }, 'holds no sha256=<hex> signature'],
    ['a repeated header', { 'x-webhook-signature': ['sha256=aa', 'sha256=bb'] }, 'sent more than once'],
  ])('rejects %s', (_case, headers: VerificationInput['headers'], reason) => {
    const input = signed();
    Object.assign(input.headers, headers);
    expect(verifier.verify(input)).toEqual(failed(reason));
  });

  it('refuses to verify without a secret', () => {
    expect(verifier.verify(signed({ secret: null }))).toEqual(failed('no secret is configured'));
    expect(verifier.verify(signed({ secret: '' }))).toEqual(failed('no secret is configured'));
  });
});

describe('hmac-sha256-body (X-Webhook-Signature over the body alone)', () => {
  const verifier = verifierFor('hmac-sha256-body');
  const SECRET = 'partner-shared-secret';
  const BODY = Buffer.from('{"id":42,"text":"Привет"}');
  const signature = (secret = SECRET): string => createHmac('sha256', secret).update(BODY).digest('hex');

  const signed = (overrides: Partial<VerificationInput> = {}): VerificationInput =>
    verificationInput({
      rawBody: BODY,
      headers: { 'x-webhook-signature': `sha256=${signature()}` },
      secret: SECRET,
      ...overrides,
    });

  it('accepts a signature over the raw body, with no timestamp header and any clock', () => {
    expect(verifier.verify(signed({ now: atUnix(0) }))).toEqual({ ok: true });
  });

  it('accepts bare hex, and any of several signatures', () => {
    expect(verifier.verify(signed({ headers: { 'x-webhook-signature': signature() } }))).toEqual({ ok: true });
    const several = `sha256=${signature('old')} sha256=${signature()}`;
    expect(verifier.verify(signed({ headers: { 'x-webhook-signature': several } }))).toEqual({ ok: true });
  });

  it('reads the header the source names instead', () => {
    const input = signed({ header: 'X-Signature-256', headers: { 'x-signature-256': `sha256=${signature()}` } });
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    expect(verifier.verify(signed({ rawBody: tamper(BODY) }))).toEqual(failed('signature does not match'));
  });

  it('rejects a wrong secret', () => {
    expect(verifier.verify(signed({ secret: 'wrong' }))).toEqual(failed('signature does not match'));
  });

  it('rejects a missing signature header', () => {
    expect(verifier.verify(signed({ headers: {} }))).toEqual(failed('missing X-Webhook-Signature header'));
  });

  it('rejects a signature that covers "<timestamp>.<body>" instead', () => {
    const timestamped = createHmac('sha256', SECRET).update(`1726140000.${BODY.toString()}`).digest('hex');
    const input = signed({ headers: { 'x-webhook-signature': timestamped, 'x-webhook-timestamp': '1726140000' } });
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });
});

describe('github (X-Hub-Signature-256)', () => {
  const verifier = verifierFor('github');
  const vector = loadFixture('github', 'official-test-vector');
  const ping = loadFixture('github', 'ping-json');
  const PING_SECRET = 'test_github_webhook_secret';

  it("accepts GitHub's documented test vector", () => {
    expect(vector.body.toString()).toBe('Hello, World!');
    expect(verifier.verify(fixtureInput(vector, "It's a Secret to Everybody"))).toEqual({ ok: true });
  });

  it('accepts the ping delivery', () => {
    expect(verifier.verify(fixtureInput(ping, PING_SECRET))).toEqual({ ok: true });
  });

  it('has no timestamp: an old delivery still verifies', () => {
    expect(verifier.verify(fixtureInput(ping, PING_SECRET, { now: atUnix(4102444800) }))).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const input = fixtureInput(ping, PING_SECRET, { rawBody: tamper(ping.body) });
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });

  it('rejects a wrong secret', () => {
    expect(verifier.verify(fixtureInput(vector, "It's a Secret to Nobody"))).toEqual(
      failed('signature does not match'),
    );
  });

  it('rejects a delivery that has only the legacy SHA-1 header', () => {
    const input = fixtureInput(ping, PING_SECRET);
    delete input.headers['x-hub-signature-256'];
    expect(input.headers['x-hub-signature']).toMatch(/^sha1=/);
    expect(verifier.verify(input)).toEqual(failed('^missing X-Hub-Signature-256 header$'));
  });

  it.each([
    ['bare hex without sha256=', '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'],
    ['bad hex', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043eXX'],
    ['two signatures', 'sha256=aa, sha256=bb'],
    ['sha1', 'sha1=58a4dab5e9b4a582c96df6ebee5423a935fc0d76'],
  ])('rejects a header with %s', (_case, value) => {
    const input = fixtureInput(vector, "It's a Secret to Everybody");
    input.headers['x-hub-signature-256'] = value;
    expect(verifier.verify(input)).toEqual(failed('X-Hub-Signature-256 header is not of the form sha256=<hex>'));
  });
});

describe('whatsapp (X-Hub-Signature-256 with the Meta app secret)', () => {
  const verifier = verifierFor('whatsapp');
  const message = loadFixture('whatsapp', 'inbound-text-message');
  const APP_SECRET = 'test_whatsapp_app_secret_0123456789';

  it('accepts an inbound message signed over its \\u-escaped raw bytes', () => {
    expect(message.body.toString()).toMatch(/\\u04[0-9a-f]{2}/);
    expect(verifier.verify(fixtureInput(message, APP_SECRET))).toEqual({ ok: true });
  });

  it('rejects the body re-encoded with the Cyrillic unescaped (same JSON, other bytes)', () => {
    const reencoded = Buffer.from(JSON.stringify(JSON.parse(message.body.toString())));
    expect(reencoded.equals(message.body)).toBe(false);
    expect(verifier.verify(fixtureInput(message, APP_SECRET, { rawBody: reencoded }))).toEqual(
      failed('signature does not match'),
    );
  });

  it('rejects a tampered body', () => {
    const input = fixtureInput(message, APP_SECRET, { rawBody: tamper(message.body) });
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });

  it('rejects the verify token used as if it were the app secret', () => {
    expect(verifier.verify(fixtureInput(message, 'meatyhamhock'))).toEqual(failed('signature does not match'));
  });

  it('rejects a missing signature header', () => {
    const input = fixtureInput(message, APP_SECRET);
    delete input.headers['x-hub-signature-256'];
    expect(verifier.verify(input)).toEqual(failed('missing X-Hub-Signature-256 header'));
  });
});

describe('kommo-chats (X-Signature: hex HMAC-SHA1 of the body)', () => {
  const verifier = verifierFor('kommo-chats');
  const hook = loadFixture('kommo', 'chats-api-outgoing-message-v2');
  const CHANNEL_SECRET = '5a44c5dff55f3c15a4cce8d7c4cc27e207c7e189';

  it('accepts the Chats API hook', () => {
    expect(verifier.verify(fixtureInput(hook, CHANNEL_SECRET))).toEqual({ ok: true });
  });

  it('accepts the signature in upper-case hex', () => {
    const input = fixtureInput(hook, CHANNEL_SECRET);
    input.headers['x-signature'] = String(input.headers['x-signature']).toUpperCase();
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const input = fixtureInput(hook, CHANNEL_SECRET, { rawBody: tamper(hook.body) });
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });

  it('rejects a wrong secret', () => {
    expect(verifier.verify(fixtureInput(hook, 'another-channel-secret'))).toEqual(failed('signature does not match'));
  });

  it('rejects a missing X-Signature header', () => {
    const input = fixtureInput(hook, CHANNEL_SECRET);
    delete input.headers['x-signature'];
    expect(verifier.verify(input)).toEqual(failed('missing X-Signature header'));
  });

  it('rejects a SHA-256 digest where SHA-1 is expected', () => {
    const input = fixtureInput(hook, CHANNEL_SECRET);
    input.headers['x-signature'] = createHmac('sha256', CHANNEL_SECRET).update(hook.body).digest('hex');
    expect(verifier.verify(input)).toEqual(failed('X-Signature header is not of the form <hex HMAC-SHA1>'));
  });
});
