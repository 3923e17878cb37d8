import { createHmac } from 'node:crypto';
import { verifierFor } from './index';
import { atUnix, fixtureInput, loadFixture, tamper } from './testing/provider-fixtures';
import type { ProviderFixture } from './testing/provider-fixtures';

const failed = (reason: string | RegExp): unknown => ({ ok: false, reason: expect.stringMatching(reason) });
const verifier = verifierFor('slack');
const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** The fixture as received at the moment it was signed (the clock frozen to its X-Slack-Request-Timestamp). */
function received(fixture: ProviderFixture, secret = SIGNING_SECRET) {
  return fixtureInput(fixture, secret, { now: atUnix(Number(fixture.headers['x-slack-request-timestamp'])) });
}

describe('slack (v0=HMAC-SHA256 over "v0:<timestamp>:<body>")', () => {
  const vector = loadFixture('slack', 'slash-command-official-test-vector');
  const urlVerification = loadFixture('slack', 'url-verification');
  const mention = loadFixture('slack', 'event-callback-app-mention');

  it("accepts Slack's documented example request", () => {
    const input = received(vector);
    expect(input.now.getTime()).toBe(1531420618_000);
    expect(input.headers['x-slack-signature']).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it('accepts the url_verification request (it is signed like every other)', () => {
    expect(verifier.verify(received(urlVerification))).toEqual({ ok: true });
  });

  it('accepts an event_callback whose text is raw UTF-8 Cyrillic', () => {
    expect(verifier.verify(received(mention))).toEqual({ ok: true });
  });

  it('accepts the edges of the 300 s window', () => {
    const ts = Number(mention.headers['x-slack-request-timestamp']);
    expect(verifier.verify({ ...received(mention), now: atUnix(ts + 300) })).toEqual({ ok: true });
    expect(verifier.verify({ ...received(mention), now: atUnix(ts - 300) })).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const input = { ...received(mention), rawBody: tamper(mention.body) };
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });

  it('rejects a wrong signing secret', () => {
    expect(verifier.verify(received(vector, '8f742231b10e8888abcd99yyyzzz85a6'))).toEqual(
      failed('^signature does not match$'),
    );
  });

  it('rejects a missing X-Slack-Signature header', () => {
    const input = received(urlVerification);
    delete input.headers['x-slack-signature'];
    expect(verifier.verify(input)).toEqual(failed('^missing X-Slack-Signature header$'));
  });

  it('rejects a missing X-Slack-Request-Timestamp header', () => {
    const input = received(urlVerification);
    delete input.headers['x-slack-request-timestamp'];
    expect(verifier.verify(input)).toEqual(failed('^missing X-Slack-Request-Timestamp header$'));
  });

  it('rejects the official example replayed today (stale timestamp)', () => {
    const input = { ...received(vector), now: new Date() };
    expect(verifier.verify(input)).toEqual(failed('^timestamp 1531420618 is outside the 300 s tolerance$'));
  });

  it('rejects a timestamp more than the tolerance after or before now', () => {
    const ts = 1726139990;
    expect(verifier.verify({ ...received(urlVerification), now: atUnix(ts + 301) })).toEqual(
      failed('timestamp 1726139990 is outside the 300 s tolerance'),
    );
    expect(verifier.verify({ ...received(urlVerification), now: atUnix(ts - 301) })).toEqual(
      failed('outside the 300 s tolerance'),
    );
  });

  it('rejects an old request replayed under a fresh timestamp header', () => {
    const input = received(urlVerification);
    input.headers['x-slack-request-timestamp'] = '1726140500';
    input.now = atUnix(1726140500);
    expect(verifier.verify(input)).toEqual(failed('signature does not match'));
  });

  it('re-signs correctly: a request signed now with the same recipe verifies now', () => {
    const ts = Math.floor(Date.now() / 1000);
    const body = mention.body;
    const hex = createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:`).update(body).digest('hex');
    const input = fixtureInput(mention, SIGNING_SECRET, {
      headers: { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${hex}` },
    });
    expect(verifier.verify(input)).toEqual({ ok: true });
  });

  it.each([
    ['without the v0= prefix', 'a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'],
    ['with bad hex', 'v0=not-hex'],
    ['with another version', 'v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503'],
  ])('rejects a signature %s', (_case, value) => {
    const input = received(vector);
    input.headers['x-slack-signature'] = value;
    expect(verifier.verify(input)).toEqual(failed('X-Slack-Signature header is not of the form v0=<hex>'));
  });
});
