import { createHmac } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  generateSecret,
  signatureHeaders,
  standardWebhooksKey,
  verifyHookhubSignature,
  WHSEC_PREFIX,
  type SignInput,
} from './signing';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const CUSTOM = 'my-custom-secret-123456';
const BODY = '{"webhook_id":"wh_1","event_id":"evt_1","event_type":"deal.won","data":{"amount":1500,"name":"Сделка"}}';
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** What a subscriber using the official library would build for a secret that Hookhub generated or was given. */
function officialVerifier(secret: string): Webhook {
  return secret.startsWith(WHSEC_PREFIX)
    ? new Webhook(secret)
    : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
}

function input(overrides: Partial<SignInput> = {}): SignInput {
  return {
    secrets: [WHSEC],
    eventId: 'evt_01jd0000000000000000000000',
    timestamp: nowSeconds(),
    body: BODY,
    ...overrides,
  };
}

describe('generateSecret', () => {
  it('is whsec_ + base64 of 32 random bytes', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(standardWebhooksKey(secret)).toHaveLength(32);
  });

  it('differs every time', () => {
    expect(new Set(Array.from({ length: 20 }, generateSecret)).size).toBe(20);
  });
});

describe('standardWebhooksKey', () => {
  it('decodes the base64 after whsec_', () => {
    expect(standardWebhooksKey(WHSEC).equals(Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'))).toBe(true);
  });

  it.each([CUSTOM, 'пароль-достаточно-длинный', 'whsec_not base64 at all!', 'whsec_'])(
    'uses the UTF-8 bytes of the secret %p otherwise',
    (secret) => {
      expect(standardWebhooksKey(secret).equals(Buffer.from(secret, 'utf8'))).toBe(true);
    },
  );
});

describe('signatureHeaders', () => {
  it('matches the published Standard Webhooks test vector', () => {
    const headers = signatureHeaders({
      secrets: [WHSEC],
      eventId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      timestamp: 1614265330,
      body: '{"test": 2432232314}',
    });
    expect(headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it.each([WHSEC, CUSTOM])('computes both schemes exactly as CONTRACT §4.2 says for %p', (secret) => {
    const headers = signatureHeaders({ secrets: [secret], eventId: 'evt_x', timestamp: 1736424005, body: BODY });
    const hookhub = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`1736424005.${BODY}`).digest('hex');
    const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
    const standard = createHmac('sha256', key).update(`evt_x.1736424005.${BODY}`).digest('base64');
    expect(headers).toEqual({
      'X-Webhook-Timestamp': '1736424005',
      'X-Webhook-Signature': `sha256=${hookhub}`,
      'webhook-id': 'evt_x',
      'webhook-timestamp': '1736424005',
      'webhook-signature': `v1,${standard}`,
    });
  });

  it.each([WHSEC, generateSecret(), CUSTOM, 'пароль-достаточно-длинный'])(
    'is accepted by the official standardwebhooks library for %p',
    (secret) => {
      const headers = signatureHeaders(input({ secrets: [secret] }));
      expect(officialVerifier(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
    },
  );

  it('is accepted by the library when a custom secret is handed over as base64', () => {
    const headers = signatureHeaders(input({ secrets: [CUSTOM] }));
    const verifier = new Webhook(Buffer.from(CUSTOM).toString('base64'));
    expect(verifier.verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
  });

  it('signs with both secrets during a rotation, current first, and each one verifies', () => {
    const current = generateSecret();
    const headers = signatureHeaders(input({ secrets: [current, CUSTOM] }));
    const hookhub = headers['X-Webhook-Signature'].split(' ');
    const standard = headers['webhook-signature'].split(' ');
    expect(hookhub).toHaveLength(2);
    expect(standard).toHaveLength(2);
    expect(standard[0]).toBe(signatureHeaders(input({ secrets: [current] }))['webhook-signature']);
    expect(standard[1]).toBe(signatureHeaders(input({ secrets: [CUSTOM] }))['webhook-signature']);
    for (const secret of [current, CUSTOM]) {
      expect(officialVerifier(secret).verify(BODY, { ...headers })).toEqual(JSON.parse(BODY));
      expect(verifyHookhubSignature(secret, headers['X-Webhook-Timestamp'], BODY, headers['X-Webhook-Signature'])).toBe(
        true,
      );
    }
    expect(() => officialVerifier(generateSecret()).verify(BODY, { ...headers })).toThrow(WebhookVerificationError);
  });

  it('fails the library check when the body was tampered with', () => {
    for (const secret of [WHSEC, CUSTOM]) {
      const headers = signatureHeaders(input({ secrets: [secret] }));
      expect(() => officialVerifier(secret).verify(BODY.replace('1500', '1501'), { ...headers })).toThrow(
        'No matching signature found',
      );
    }
  });

  it('fails the library check when the event id differs from the signed one', () => {
    const headers = signatureHeaders(input());
    expect(() => officialVerifier(WHSEC).verify(BODY, { ...headers, 'webhook-id': 'evt_other' })).toThrow(
      'No matching signature found',
    );
  });

  it('refuses to sign with no secret or a fractional timestamp', () => {
    expect(() => signatureHeaders(input({ secrets: [] }))).toThrow('at least one secret');
    expect(() => signatureHeaders(input({ timestamp: 1736424005.5 }))).toThrow(RangeError);
  });
});

describe('signature_format', () => {
  // Independent vectors, computed with openssl over BODY (UTF-8, no trailing newline):
  //   printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"                 (body)
  //   printf '%s.%s' 1736424005 "$BODY" | openssl dgst -sha256 -hmac "$SECRET"   (timestamped)
  const VECTORS: { body: Record<string, string>; timestamped: Record<string, string> } = {
    body: {
      [WHSEC]: '89f9baf47f7a0fd349d343e7e215da72a16789784eae1a41124f4a9fed4695fb',
      [CUSTOM]: '87f14522a62a27fd14d83e36e512c943977d531c120295c497031c49d335ea69',
    },
    timestamped: { [WHSEC]: '41ccb39fc1449813e35cf7a78dc3984cc945fccdb1e62357b3b41ef2822e803a' },
  };
  const at = (format?: 'timestamped' | 'body', secrets = [WHSEC]) =>
    signatureHeaders({ secrets, eventId: 'evt_x', timestamp: 1736424005, body: BODY, format });

  it('timestamped (the default) signs "<ts>.<body>", as openssl computes it', () => {
    expect(at()['X-Webhook-Signature']).toBe(`sha256=${VECTORS.timestamped[WHSEC]}`);
    expect(at('timestamped')).toEqual(at());
  });

  it.each([WHSEC, CUSTOM])('body signs the raw body alone, as openssl and hash_hmac compute it, for %p', (secret) => {
    expect(at('body', [secret])['X-Webhook-Signature']).toBe(`sha256=${VECTORS.body[secret]}`);
  });

  it('leaves X-Webhook-Timestamp and the Standard Webhooks headers unchanged', () => {
    const { 'X-Webhook-Signature': timestamped, ...rest } = at('timestamped');
    const { 'X-Webhook-Signature': body, ...restBody } = at('body');
    expect(body).not.toBe(timestamped);
    expect(restBody).toEqual(rest);
    const now = signatureHeaders(input({ format: 'body' }));
    expect(officialVerifier(WHSEC).verify(BODY, { ...now })).toEqual(JSON.parse(BODY));
  });

  it('signs with both secrets during a rotation, space-separated, current first', () => {
    expect(at('body', [WHSEC, CUSTOM])['X-Webhook-Signature']).toBe(
      `sha256=${VECTORS.body[WHSEC]} sha256=${VECTORS.body[CUSTOM]}`,
    );
  });

  it('verifies the body format whatever the timestamp, and refuses a tampered body', () => {
    const header = at('body')['X-Webhook-Signature'];
    expect(verifyHookhubSignature(WHSEC, '0', BODY, header, 'body')).toBe(true);
    expect(verifyHookhubSignature(WHSEC, '1736424005', BODY, header, 'timestamped')).toBe(false);
    expect(verifyHookhubSignature(WHSEC, '0', BODY.replace('1500', '1501'), header, 'body')).toBe(false);
  });
});

describe('verifyHookhubSignature', () => {
  const timestamp = '1736424005';
  const header = signatureHeaders({ secrets: [CUSTOM], eventId: 'evt_x', timestamp: 1736424005, body: BODY })[
    'X-Webhook-Signature'
  ];

  it('accepts the header Hookhub produced', () => {
    expect(verifyHookhubSignature(CUSTOM, timestamp, BODY, header)).toBe(true);
  });

  it('accepts any one of several signatures', () => {
    expect(verifyHookhubSignature(CUSTOM, timestamp, BODY, `sha256=${'0'.repeat(64)} ${header}`)).toBe(true);
  });

  it.each([
    ['a tampered body', CUSTOM, timestamp, BODY.replace('1500', '1501'), header],
    ['another timestamp', CUSTOM, '1736424006', BODY, header],
    ['another secret', WHSEC, timestamp, BODY, header],
    ['a signature without its sha256= scheme', CUSTOM, timestamp, BODY, header.slice('sha256='.length)],
    ['an uppercased signature', CUSTOM, timestamp, BODY, header.toUpperCase()],
    ['a truncated signature', CUSTOM, timestamp, BODY, header.slice(0, -1)],
    ['an empty header', CUSTOM, timestamp, BODY, ''],
  ])('refuses %s', (_case, secret, ts, body, value) => {
    expect(verifyHookhubSignature(secret, ts, body, value)).toBe(false);
  });
});
