import { createHmac } from 'node:crypto';
import request from 'supertest';
import { signatureHeaders } from '../src/common/signing';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';

type Signer = (body: string, secret: string) => { headers: Record<string, string>; query?: string };

const now = (): number => Math.floor(Date.now() / 1000);
const hmac = (algo: string, key: string | Buffer, text: string, enc: 'hex' | 'base64' = 'hex'): string =>
  createHmac(algo, key).update(text).digest(enc);

/** How a real sender signs for each scheme (docs/api.md). */
const SCHEMES: Record<string, { secret: string; header?: string; sign: Signer }> = {
  'hmac-sha256': {
    secret: 'generic-secret-0001',
    sign: (b, s) => {
      const ts = now();
      return {
        headers: {
          'X-Webhook-Timestamp': String(ts),
          'X-Webhook-Signature': `sha256=${hmac('sha256', s, `${ts}.${b}`)}`,
        },
      };
    },
  },
  'hmac-sha256-body': {
    secret: 'generic-secret-0002',
    header: 'X-Signature',
    sign: (b, s) => ({ headers: { 'X-Signature': hmac('sha256', s, b) } }),
  },
  'standard-webhooks': {
    secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    sign: (b, s) => {
      const h = signatureHeaders({ secrets: [s], eventId: 'msg_1', timestamp: now(), body: b });
      return {
        headers: {
          'webhook-id': h['webhook-id'],
          'webhook-timestamp': h['webhook-timestamp'],
          'webhook-signature': h['webhook-signature'],
        },
      };
    },
  },
  github: {
    secret: 'test_github_webhook_secret',
    sign: (b, s) => ({
      headers: { 'X-Hub-Signature-256': `sha256=${hmac('sha256', s, b)}`, 'X-GitHub-Event': 'ping' },
    }),
  },
  stripe: {
    secret: 'whsec_test_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH',
    sign: (b, s) => {
      const t = now();
      return { headers: { 'Stripe-Signature': `t=${t},v1=${hmac('sha256', s, `${t}.${b}`)}` } };
    },
  },
  slack: {
    secret: '8f742231b10e8888abcd99yyyzzz85a5',
    sign: (b, s) => {
      const ts = now();
      return {
        headers: {
          'X-Slack-Request-Timestamp': String(ts),
          'X-Slack-Signature': `v0=${hmac('sha256', s, `v0:${ts}:${b}`)}`,
        },
      };
    },
  },
  telegram: { secret: 'tg-Secret_Token-123', sign: (_b, s) => ({ headers: { 'X-Telegram-Bot-Api-Secret-Token': s } }) },
  whatsapp: {
    secret: 'test_whatsapp_app_secret_0123456789',
    sign: (b, s) => ({ headers: { 'X-Hub-Signature-256': `sha256=${hmac('sha256', s, b)}` } }),
  },
  'kommo-chats': {
    secret: '5a44c5dff55f3c15a4cce8d7c4cc27e207c7e189',
    sign: (b, s) => ({ headers: { 'X-Signature': hmac('sha1', s, b) } }),
  },
  'shared-token': { secret: 'shared-token-value-1', sign: (_b, s) => ({ headers: { 'X-Webhook-Token': s } }) },
  'url-token': {
    secret: 'url-token-value-0001',
    sign: (_b, s) => ({ headers: {}, query: `?token=${encodeURIComponent(s)}` }),
  },
};

describe('Every verification scheme through the ingest route (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startApp();
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await t.close();
  });

  describe.each(Object.entries(SCHEMES))('%s', (scheme, { secret, header, sign }) => {
    let sourceId: string;
    const body = JSON.stringify({ event_type: 'scheme.checked', scheme });

    beforeAll(async () => {
      const res = await request(t.http)
        .post('/api/v1/sources')
        .set(tenant.auth)
        .send({ name: scheme, provider: 'generic', verification: { scheme, secret, ...(header ? { header } : {}) } })
        .expect(201);
      sourceId = res.body.data.source_id;
    });

    const send = (payload: string, signer: { headers: Record<string, string>; query?: string }) =>
      request(t.http)
        .post(`/api/v1/ingest/${sourceId}${signer.query ?? ''}`)
        .set('Content-Type', 'application/json')
        .set(signer.headers)
        .send(payload);

    it('accepts a correctly signed request', async () => {
      const res = await send(body, sign(body, secret));
      expect(res.status).toBe(202);
      expect(res.body.data.status).toBe('accepted');
    });

    it('refuses a tampered body or a wrong secret with 401 INVALID_SIGNATURE', async () => {
      const tampered = body.replace('checked', 'forged');
      const wrong = await send(tampered, sign(tampered, `${secret}-wrong`));
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
      const signedOther = sign(body, secret);
      const other = await send(tampered, signedOther);
      // token schemes do not cover the body; every signing scheme must refuse it
      if (!['telegram', 'shared-token', 'url-token'].includes(scheme)) expect(other.status).toBe(401);
    });

    it('refuses a request without its credentials', async () => {
      const res = await send(body, { headers: {} });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('INVALID_SIGNATURE');
    });
  });
});
