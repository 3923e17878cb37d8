import { createHmac, randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { Client } from 'pg';
import { isForbiddenAddress } from '../../src/common/url-guard';
import { VERIFICATION_SCHEMES, VerificationScheme } from '../../src/webhooks/verification/verifier';
import { TEST_ADMIN_KEY } from '../helpers/run-env';
import {
  call,
  eventually,
  HttpAnswer,
  isErrorEnvelope,
  Json,
  openDatabase,
  Receiver,
  Stack,
  startStack,
  stopProcess,
} from './helpers';

/**
 * Attacks (issue #7): replayed and forged signatures, SSRF through DNS names and redirects, one tenant
 * probing another's ids on every route of the OpenAPI document, and secrets that must never show up in
 * logs (api and workers at LOG_LEVEL=debug) or in API answers after their creation. The timing-safe
 * comparison of secrets is a static check: src/common/timing-safe.spec.ts.
 */

const V1 = '/api/v1';

// ---------------------------------------------------------------------------------------------------------
// Secrets of the run and every API answer, for the last test
// ---------------------------------------------------------------------------------------------------------

interface Secret {
  label: string;
  value: string;
  /** False for values the API shows by design after creation (documented beside each such call). */
  hiddenInAnswers: boolean;
}

const secrets: Secret[] = [TEST_ADMIN_KEY].map((value) => ({ label: 'ADMIN_API_KEY', value, hiddenInAnswers: true }));

function remember(label: string, value: string, hiddenInAnswers = true): string {
  secrets.push({ label, value, hiddenInAnswers });
  return value;
}

/** Every answer the spec received, except the creation answers that hand a secret out once. */
const answers: { what: string; text: string }[] = [];

let stack: Stack;
let db: Client;

/** One HTTP call to the API; the answer is kept for the secrets check unless `creation` says it hands out a secret. */
async function api(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; json?: unknown; body?: string; creation?: boolean } = {},
): Promise<HttpAnswer> {
  const res = await call(stack.baseUrl, method, path, { ...options, timeoutMs: 20_000 });
  if (!options.creation) answers.push({ what: `${method} ${path.split('?')[0]} → ${res.status}`, text: res.text });
  return res;
}

interface Tenant {
  id: string;
  key: string;
  auth: { Authorization: string };
}

async function newTenant(name: string): Promise<Tenant> {
  const res = await api('POST', `${V1}/tenants`, {
    headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    json: { name },
    creation: true,
  });
  if (res.status !== 201) throw new Error(`creating a tenant answered ${res.status}: ${res.text}`);
  const key = remember(`api key of ${name}`, res.json.data.api_key);
  return { id: res.json.data.tenant_id, key, auth: { Authorization: `Bearer ${key}` } };
}

/** A call as `tenant` that must answer `status`; returns `data`. */
async function must(
  tenant: Tenant,
  method: string,
  path: string,
  json: unknown,
  status: number,
  creation = false,
): Promise<Json> {
  const res = await api(method, path, { headers: tenant.auth, json, creation });
  if (res.status !== status)
    throw new Error(`${method} ${path} answered ${res.status} (expected ${status}): ${res.text}`);
  return res.json.data;
}

async function inboundCount(sourceId: string): Promise<number> {
  const res = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_events WHERE source_id = $1', [
    sourceId,
  ]);
  return res.rows[0].n;
}

// ---------------------------------------------------------------------------------------------------------
// Signing every verification scheme (docs/api.md), independently of src/
// ---------------------------------------------------------------------------------------------------------

type Provider = 'generic' | 'telegram' | 'whatsapp' | 'github' | 'stripe' | 'kommo';

interface SchemeSpec {
  /** The provider its sources get, so provider routes (the source's ingest_url) are attacked too. */
  provider: Provider;
  /** Whether the signature covers a timestamp checked against the source's tolerance_s. */
  timestamped: boolean;
  secret(): string;
  /** Headers and query that prove `body` comes from the holder of `secret`, at unix time `ts`. */
  sign(body: string, secret: string, ts: number, uid: string): { headers: Record<string, string>; query?: string };
}

const hmacHex = (algorithm: 'sha1' | 'sha256', key: string | Buffer, message: string): string =>
  createHmac(algorithm, key).update(message).digest('hex');
const plainSecret = (): string => `atk-${randomBytes(12).toString('hex')}`;

/** Every scheme of the registry: a new scheme fails the type check (and the test below) until it is listed. */
const SCHEMES: Record<VerificationScheme, SchemeSpec | { skip: string }> = {
  'hmac-sha256': {
    provider: 'generic',
    timestamped: true,
    secret: plainSecret,
    sign: (body, secret, ts) => ({
      headers: {
        'X-Webhook-Timestamp': String(ts),
        'X-Webhook-Signature': `sha256=${hmacHex('sha256', secret, `${ts}.${body}`)}`,
      },
    }),
  },
  'hmac-sha256-body': {
    provider: 'generic',
    timestamped: false,
    secret: plainSecret,
    sign: (body, secret) => ({ headers: { 'X-Webhook-Signature': `sha256=${hmacHex('sha256', secret, body)}` } }),
  },
  'standard-webhooks': {
    provider: 'generic',
    timestamped: true,
    secret: () => `whsec_${randomBytes(24).toString('base64')}`,
    sign: (body, secret, ts, uid) => {
      const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
      const signature = createHmac('sha256', key).update(`msg_${uid}.${ts}.${body}`).digest('base64');
      return {
        headers: {
          'webhook-id': `msg_${uid}`,
          'webhook-timestamp': String(ts),
          'webhook-signature': `v1,${signature}`,
        },
      };
    },
  },
  github: {
    provider: 'github',
    timestamped: false,
    secret: plainSecret,
    sign: (body, secret) => ({ headers: { 'X-Hub-Signature-256': `sha256=${hmacHex('sha256', secret, body)}` } }),
  },
  stripe: {
    provider: 'stripe',
    timestamped: true,
    secret: () => `whsec_${randomBytes(16).toString('hex')}`,
    sign: (body, secret, ts) => ({
      headers: { 'Stripe-Signature': `t=${ts},v1=${hmacHex('sha256', secret, `${ts}.${body}`)}` },
    }),
  },
  slack: {
    provider: 'generic',
    timestamped: true,
    secret: plainSecret,
    sign: (body, secret, ts) => ({
      headers: {
        'X-Slack-Request-Timestamp': String(ts),
        'X-Slack-Signature': `v0=${hmacHex('sha256', secret, `v0:${ts}:${body}`)}`,
      },
    }),
  },
  telegram: {
    provider: 'telegram',
    timestamped: false,
    secret: plainSecret,
    sign: (_body, secret) => ({ headers: { 'X-Telegram-Bot-Api-Secret-Token': secret } }),
  },
  whatsapp: {
    provider: 'whatsapp',
    timestamped: false,
    secret: plainSecret,
    sign: (body, secret) => ({ headers: { 'X-Hub-Signature-256': `sha256=${hmacHex('sha256', secret, body)}` } }),
  },
  'kommo-chats': {
    provider: 'kommo',
    timestamped: false,
    secret: plainSecret,
    sign: (body, secret) => ({ headers: { 'X-Signature': hmacHex('sha1', secret, body) } }),
  },
  'shared-token': {
    provider: 'generic',
    timestamped: false,
    secret: plainSecret,
    sign: (_body, secret) => ({ headers: { 'X-Webhook-Token': secret } }),
  },
  'url-token': {
    provider: 'generic',
    timestamped: false,
    secret: plainSecret,
    sign: (_body, secret) => ({ headers: {}, query: `token=${encodeURIComponent(secret)}` }),
  },
  none: { skip: 'verifies nothing by design; a source gets it only when it asks for it explicitly' },
};

const SIGNED: VerificationScheme[] = VERIFICATION_SCHEMES.filter((s) => !('skip' in SCHEMES[s]));
const TIMESTAMPED = SIGNED.filter((s) => (SCHEMES[s] as SchemeSpec).timestamped);
const spec = (scheme: VerificationScheme): SchemeSpec => SCHEMES[scheme] as SchemeSpec;

let uidCounter = 0;
const runTag = randomBytes(3).toString('hex');
function nextUid(): string {
  uidCounter += 1;
  return `${runTag}${uidCounter}`;
}

/** A provider-shaped body whose dedup key is `uid`, and the provider headers it needs. */
function requestBody(provider: Provider, uid: string, ts: number): { body: string; headers: Record<string, string> } {
  const n = Number.parseInt(uid, 16) % 2_000_000_000;
  switch (provider) {
    case 'telegram':
      return {
        body: JSON.stringify({
          update_id: n,
          message: { message_id: 1, chat: { id: 1, type: 'private' }, date: ts, text: `attack ${uid}` },
        }),
        headers: {},
      };
    case 'whatsapp':
      return {
        body: JSON.stringify({
          object: 'whatsapp_business_account',
          entry: [
            {
              id: '1',
              changes: [
                {
                  field: 'messages',
                  value: {
                    messaging_product: 'whatsapp',
                    metadata: { display_phone_number: '15550000000', phone_number_id: '1000001' },
                    messages: [
                      {
                        from: '79160000000',
                        id: `wamid.${uid}`,
                        timestamp: String(ts),
                        type: 'text',
                        text: { body: 'hi' },
                      },
                    ],
                  },
                },
              ],
            },
          ],
        }),
        headers: {},
      };
    case 'github':
      return {
        body: JSON.stringify({ zen: 'attack', hook_id: 1 }),
        headers: { 'X-GitHub-Event': 'ping', 'X-GitHub-Delivery': uid },
      };
    case 'stripe':
      return {
        body: JSON.stringify({
          id: `evt_${uid}`,
          object: 'event',
          type: 'customer.created',
          created: ts,
          data: { object: { id: 'cus_1', object: 'customer' } },
        }),
        headers: {},
      };
    case 'kommo':
    case 'generic':
      return { body: JSON.stringify({ event_type: 'attack.probe', event_id: uid }), headers: {} };
  }
}

interface SourceRef {
  id: string;
  scheme: VerificationScheme;
  provider: Provider;
  secret: string;
  /** The path of its ingest_url (a provider route for Telegram and WhatsApp), without query. */
  path: string;
  toleranceS: number;
  /** The token header of a shared-token source that reads another than X-Webhook-Token. */
  header?: string;
}

async function createSource(
  tenant: Tenant,
  scheme: VerificationScheme,
  name: string,
  extra: { tolerance_s?: number; header?: string; config?: Record<string, unknown> } = {},
): Promise<SourceRef> {
  const s = spec(scheme);
  const secret = remember(`${scheme} source secret (${name})`, s.secret());
  const { config, ...verification } = extra;
  const data = await must(
    tenant,
    'POST',
    `${V1}/sources`,
    { name, provider: s.provider, verification: { scheme, secret, ...verification }, ...(config ? { config } : {}) },
    201,
    true,
  );
  return {
    id: data.source_id,
    scheme,
    provider: s.provider,
    secret,
    path: new URL(data.ingest_url).pathname,
    toleranceS: data.verification.tolerance_s,
    header: extra.header,
  };
}

interface IngestRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A request to `target`'s ingest route signed with `key` (the secret of `target` or of another source) at `ts`. */
function signedFor(
  target: SourceRef,
  key: string,
  ts = Math.floor(Date.now() / 1000),
  scheme = target.scheme,
): IngestRequest {
  const uid = nextUid();
  const { body, headers } = requestBody(target.provider, uid, ts);
  const signed = spec(scheme).sign(body, key, ts, uid);
  if (target.header && scheme === 'shared-token') {
    signed.headers = { [target.header]: signed.headers['X-Webhook-Token'] };
  }
  return {
    path: `${target.path}${signed.query ? `?${signed.query}` : ''}`,
    headers: { 'content-type': 'application/json', ...headers, ...signed.headers },
    body,
  };
}

const send = (req: IngestRequest): Promise<HttpAnswer> =>
  api('POST', req.path, { headers: req.headers, body: req.body });

/** What an ingest answer was, in one comparable object. */
function outcome(res: HttpAnswer): Json {
  return res.status >= 400
    ? { status: res.status, code: res.json?.error?.code, envelope: isErrorEnvelope(res.json) }
    : { status: res.status, result: res.json?.data?.status };
}

const REJECTED = { status: 401, code: 'INVALID_SIGNATURE', envelope: true };
/** WhatsApp's route answers 200 (Meta resends anything else); the others 202. */
const accepted = (source: SourceRef): Json => ({
  status: source.provider === 'whatsapp' ? 200 : 202,
  result: 'accepted',
});

// ---------------------------------------------------------------------------------------------------------
// Local peers
// ---------------------------------------------------------------------------------------------------------

/** The fake Telegram Bot API and WhatsApp Cloud API (TELEGRAM_API_URL / WHATSAPP_API_URL of every process). */
const telegram = new Receiver();
const whatsapp = new Receiver();
telegram.reply = () => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"ok":true,"result":{"message_id":1}}',
});
whatsapp.reply = () => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: '{"messaging_product":"whatsapp","messages":[{"id":"wamid.sent"}]}',
});

/** Which ALLOW_PRIVATE_URLS the running worker has. */
let workerAllowsPrivate = false;

/** Makes the one running worker refuse (false) or allow (true) private destinations, replacing it if needed. */
async function useWorker(allowPrivate: boolean): Promise<void> {
  const current = stack.workers[stack.workers.length - 1];
  const alive = current && current.child.exitCode === null && current.child.signalCode === null;
  if (alive && workerAllowsPrivate === allowPrivate) return;
  if (alive) await stopProcess(current);
  await stack.startWorker({ ALLOW_PRIVATE_URLS: String(allowPrivate) });
  workerAllowsPrivate = allowPrivate;
}

async function attemptKinds(webhookIds: string[]): Promise<{ kind: string | null; http: number | null; n: number }[]> {
  const res = await db.query<{ kind: string | null; http: number | null; n: number }>(
    `SELECT a.error_kind AS kind, a.http_status AS http, count(*)::int AS n FROM delivery_attempts a
     JOIN deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = ANY($1) GROUP BY 1, 2 ORDER BY 1, 2`,
    [webhookIds],
  );
  return res.rows;
}

async function waitAllDead(webhookIds: string[], timeoutMs = 30_000): Promise<void> {
  await eventually(
    async () => {
      const res = await db.query<{ n: number; dead: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'dead')::int AS dead FROM deliveries
         WHERE subscription_id = ANY($1)`,
        [webhookIds],
      );
      return res.rows[0].n === webhookIds.length && res.rows[0].dead === webhookIds.length ? true : undefined;
    },
    timeoutMs,
    'every delivery dead',
  );
}

/** The retry schedule of the fault settings has three delays: four attempts in all. */
const ATTEMPTS = 4;

describe('Attacks (fault)', () => {
  beforeAll(async () => {
    db = await openDatabase();
    await telegram.start();
    await whatsapp.start();
    const peers = { TELEGRAM_API_URL: telegram.url(''), WHATSAPP_API_URL: whatsapp.url('/v21.0') };
    stack = await startStack({
      name: 'attacks',
      workers: 1,
      env: peers,
      apiEnv: { LOG_LEVEL: 'debug' },
      // the first test needs a worker that refuses private addresses; useWorker() swaps it when needed
      workerEnv: { LOG_LEVEL: 'debug', ALLOW_PRIVATE_URLS: 'false' },
    });
    workerAllowsPrivate = false;
  });

  afterAll(async () => {
    await stack?.stop();
    await telegram.stop();
    await whatsapp.stop();
    await db?.end();
  });

  it('lists every verification scheme of the registry, and only "none" is left out', () => {
    expect(Object.keys(SCHEMES).sort()).toEqual([...VERIFICATION_SCHEMES].sort());
    expect(VERIFICATION_SCHEMES.filter((s) => 'skip' in SCHEMES[s])).toEqual(['none']);
    expect(TIMESTAMPED.sort()).toEqual(['hmac-sha256', 'slack', 'standard-webhooks', 'stripe']);
  });

  // -------------------------------------------------------------------------------------------------------
  describe('SSRF through DNS names (worker with ALLOW_PRIVATE_URLS=false)', () => {
    it('refuses every connection to names and literals that lead to loopback, for deliveries and Slack notifications', async () => {
      await useWorker(false);
      const peer = await new Receiver().start();
      try {
        const port = new URL(peer.url()).port;
        const tenant = await newTenant('ssrf-dns');
        const urls = [
          `http://localhost:${port}/localhost`,
          `http://127.0.0.1:${port}/literal`,
          `http://2130706433:${port}/decimal`,
          `http://[::ffff:127.0.0.1]:${port}/mapped`,
        ];
        // the machine's own name, when DNS (here /etc/hosts) resolves it to a refused address
        const own = hostname();
        const ownAddresses = await lookup(own, { all: true }).catch(() => []);
        if (ownAddresses.length > 0 && ownAddresses.every((a) => isForbiddenAddress(a.address))) {
          urls.push(`http://${own}:${port}/hostname`);
        }
        const webhookIds: string[] = [];
        // the API allows private URLs in (ALLOW_PRIVATE_URLS=true): only the worker's connect-time check stands
        for (const url of urls) {
          const data = await must(
            tenant,
            'POST',
            `${V1}/webhooks`,
            { name: url, url, events: ['ssrf.*'], timeout_ms: 1000 },
            201,
            true,
          );
          remember('ssrf subscription secret', data.secret);
          webhookIds.push(data.webhook_id);
        }
        const rule = await must(
          tenant,
          'POST',
          `${V1}/notification-rules`,
          {
            name: 'slack to loopback',
            event_types: ['ssrf.*'],
            channel: 'slack',
            target: `http://localhost:${port}/slack`,
            template: 'x',
          },
          201,
        );
        const event = await must(tenant, 'POST', `${V1}/events`, { event_type: 'ssrf.probe', data: { n: 1 } }, 202);
        expect(event.matched_webhooks).toBe(urls.length);

        await waitAllDead(webhookIds);
        expect(await attemptKinds(webhookIds)).toEqual([
          { kind: 'refused_address', http: null, n: urls.length * ATTEMPTS },
        ]);
        const notification = await eventually(
          async () => {
            const res = await api('GET', `${V1}/notifications?rule_id=${rule.rule_id}`, { headers: tenant.auth });
            const found = res.json?.data?.[0];
            return found && found.status !== 'queued' ? found : undefined;
          },
          20_000,
          'the Slack notification settled',
        );
        expect(notification).toMatchObject({
          status: 'failed',
          provider_status: null,
          error: expect.stringMatching(/refused address/),
        });
        expect(peer.requests.map((r) => r.path)).toEqual([]);
      } finally {
        await peer.stop();
      }
    });
  });

  // -------------------------------------------------------------------------------------------------------
  describe('SSRF through redirects (worker with ALLOW_PRIVATE_URLS=true)', () => {
    it('never follows a subscriber’s redirect to another server or to the cloud metadata address', async () => {
      await useWorker(true);
      const target = await new Receiver().start();
      const redirector = await new Receiver().start();
      const METADATA = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';
      redirector.reply = (req) => {
        const [, status, to] = /^\/(\d{3})-(\w+)/.exec(req.path) ?? [];
        const location = to === 'metadata' ? METADATA : target.url(`/stolen-${status}`);
        return status ? { status: Number(status), headers: { location } } : { status: 404 };
      };
      try {
        const tenant = await newTenant('ssrf-redirect');
        const subscribe = async (path: string, eventType = 'redirect.probe'): Promise<string> => {
          const data = await must(
            tenant,
            'POST',
            `${V1}/webhooks`,
            { name: path, url: redirector.url(path), events: [eventType], timeout_ms: 1000 },
            201,
            true,
          );
          remember('redirect subscription secret', data.secret);
          return data.webhook_id;
        };
        const local = ['/301-local', '/302-local', '/303-local', '/307-local', '/308-local'];
        const localIds = await Promise.all(local.map((path) => subscribe(path)));
        await must(tenant, 'POST', `${V1}/events`, { event_type: 'redirect.probe', data: {} }, 202);
        await waitAllDead(localIds);
        expect(await attemptKinds(localIds)).toEqual(
          [301, 302, 303, 307, 308].map((http) => ({ kind: 'redirect', http, n: ATTEMPTS })),
        );
        expect(redirector.requests).toHaveLength(local.length * ATTEMPTS);
        expect(target.requests.map((r) => r.path)).toEqual([]);

        // Only now that redirects are known not to be followed: a redirect to the metadata address
        // (were it followed, the attempt's 1 s timeout would end it)
        const metadataId = await subscribe('/302-metadata', 'redirect.metadata');
        await must(tenant, 'POST', `${V1}/events`, { event_type: 'redirect.metadata', data: {} }, 202);
        await eventually(
          async () => {
            const res = await db.query("SELECT 1 FROM deliveries WHERE subscription_id = $1 AND status = 'dead'", [
              metadataId,
            ]);
            return res.rowCount === 1 ? true : undefined;
          },
          30_000,
          'the metadata redirect delivery dead',
        );
        expect(await attemptKinds([metadataId])).toEqual([{ kind: 'redirect', http: 302, n: ATTEMPTS }]);
        expect(redirector.requests.filter((r) => r.path === '/302-metadata')).toHaveLength(ATTEMPTS);
        const detail = await api('GET', `${V1}/webhooks/${metadataId}/deliveries`, { headers: tenant.auth });
        expect(detail.json.data[0]).toMatchObject({
          status: 'dead',
          http_status: 302,
          error: 'redirect (302) not followed',
        });
      } finally {
        await target.stop();
        await redirector.stop();
      }
    });
  });

  // -------------------------------------------------------------------------------------------------------
  describe('Replayed signed requests', () => {
    let tenant: Tenant;
    const sources = new Map<VerificationScheme, { byDefault: SourceRef; strict: SourceRef }>();

    beforeAll(async () => {
      tenant = await newTenant('replay');
      for (const scheme of TIMESTAMPED) {
        sources.set(scheme, {
          byDefault: await createSource(tenant, scheme, `replay ${scheme}`),
          strict: await createSource(tenant, scheme, `replay ${scheme} 30 s`, { tolerance_s: 30 }),
        });
      }
    });

    it.each(TIMESTAMPED)(
      '%s: a correctly signed request outside the tolerance (past or future) is refused and not stored; a replay inside it is stored once',
      async (scheme) => {
        const { byDefault, strict } = sources.get(scheme)!;
        expect(byDefault.toleranceS).toBe(300);
        expect(strict.toleranceS).toBe(30);
        const now = Math.floor(Date.now() / 1000);

        // the signer is right: a fresh request is accepted
        expect(outcome(await send(signedFor(byDefault, byDefault.secret, now)))).toEqual(accepted(byDefault));
        for (const ts of [now - 300 - 60, now - 3600, now + 300 + 60]) {
          expect({ ts: ts - now, ...outcome(await send(signedFor(byDefault, byDefault.secret, ts))) }).toEqual({
            ts: ts - now,
            ...REJECTED,
          });
        }
        // the source's own tolerance decides: 2 minutes old passes 300 s, not 30 s
        expect(outcome(await send(signedFor(strict, strict.secret, now - 120)))).toEqual(REJECTED);
        expect(outcome(await send(signedFor(byDefault, byDefault.secret, now - 120)))).toEqual(accepted(byDefault));

        // the same bytes and headers sent again within the tolerance: the first event, once
        const replayed = signedFor(byDefault, byDefault.secret, now - 30);
        const first = await send(replayed);
        const again = await send(replayed);
        expect(outcome(first)).toEqual(accepted(byDefault));
        expect(outcome(again)).toEqual({ status: 200, result: 'duplicate' });
        expect(again.json.data.webhook_event_id).toBe(first.json.data.webhook_event_id);

        expect(await inboundCount(byDefault.id)).toBe(3);
        expect(await inboundCount(strict.id)).toBe(0);
      },
    );
  });

  // -------------------------------------------------------------------------------------------------------
  describe('Signatures of another source', () => {
    let tenantA: Tenant;
    let tenantB: Tenant;
    const sources = new Map<VerificationScheme, { a1: SourceRef; a2: SourceRef; b1: SourceRef }>();

    beforeAll(async () => {
      tenantA = await newTenant('forge-a');
      tenantB = await newTenant('forge-b');
      for (const scheme of SIGNED) {
        sources.set(scheme, {
          a1: await createSource(tenantA, scheme, `a1 ${scheme}`),
          a2: await createSource(tenantA, scheme, `a2 ${scheme}`),
          b1: await createSource(tenantB, scheme, `b1 ${scheme}`),
        });
      }
    });

    it.each(SIGNED)(
      '%s: a request signed for one source is refused by another of the same scheme, in the same and in another tenant',
      async (scheme) => {
        const { a1, a2, b1 } = sources.get(scheme)!;
        // each source takes what is signed with its own secret, on its ingest_url
        for (const source of [a1, a2, b1]) {
          expect({ source: source.path, ...outcome(await send(signedFor(source, source.secret))) }).toEqual({
            source: source.path,
            ...accepted(source),
          });
        }
        // A1's secret on A2's and B1's routes
        for (const victim of [a2, b1]) {
          expect({ victim: victim.path, ...outcome(await send(signedFor(victim, a1.secret))) }).toEqual({
            victim: victim.path,
            ...REJECTED,
          });
        }
        // and the very request A1 accepted, resent to A2 and B1
        const forA1 = signedFor(a1, a1.secret);
        expect(outcome(await send(forA1))).toEqual(accepted(a1));
        for (const victim of [a2, b1]) {
          const query = forA1.path.includes('?') ? forA1.path.slice(forA1.path.indexOf('?')) : '';
          const res = await send({ ...forA1, path: `${victim.path}${query}` });
          expect({ victim: victim.path, ...outcome(res) }).toEqual({ victim: victim.path, ...REJECTED });
        }
        expect({ a1: await inboundCount(a1.id), a2: await inboundCount(a2.id), b1: await inboundCount(b1.id) }).toEqual(
          {
            a1: 2,
            a2: 1,
            b1: 1,
          },
        );
      },
    );
  });

  // -------------------------------------------------------------------------------------------------------
  describe('One tenant probing another tenant’s ids', () => {
    let a: Tenant;
    let b: Tenant;
    let receiver: Receiver;
    let source: SourceRef;
    const ids: Record<string, string> = {};
    let webhookSecret: string;

    beforeAll(async () => {
      await useWorker(true);
      receiver = await new Receiver().start();
      a = await newTenant('probe-a');
      b = await newTenant('probe-b');
      const webhook = await must(
        a,
        'POST',
        `${V1}/webhooks`,
        { name: 'a-hook', url: receiver.url('/a'), events: ['probe.*'], timeout_ms: 2000 },
        201,
        true,
      );
      webhookSecret = remember('probe subscription secret', webhook.secret);
      ids.webhook_id = webhook.webhook_id;
      source = await createSource(a, 'hmac-sha256', 'a-source');
      ids.source_id = source.id;
      const botToken = remember('probe bot token', `123456:${randomBytes(16).toString('hex')}`);
      const rule = await must(
        a,
        'POST',
        `${V1}/notification-rules`,
        {
          name: 'a-rule',
          event_types: ['probe.*'],
          channel: 'telegram',
          target: '123456789',
          template: 'Probe {{event_type}}',
          credentials: { bot_token: botToken },
        },
        201,
      );
      ids.rule_id = rule.rule_id;
      const event = await must(a, 'POST', `${V1}/events`, { event_type: 'probe.created', data: { n: 1 } }, 202);
      ids.event_id = event.event_id;
      const inbound = await send(signedFor(source, source.secret));
      expect(outcome(inbound)).toEqual(accepted(source));
      ids.inbound_event_id = inbound.json.data.webhook_event_id;
      const delivery = await eventually(
        async () => {
          const res = await api('GET', `${V1}/webhooks/${ids.webhook_id}/deliveries`, { headers: a.auth });
          return res.json?.data?.find((d: Json) => d.event_id === ids.event_id && d.status === 'success');
        },
        20_000,
        'A’s delivery succeeded',
      );
      ids.delivery_id = delivery.delivery_id;
      const notification = await eventually(
        async () => {
          const res = await api('GET', `${V1}/notifications?rule_id=${ids.rule_id}`, { headers: a.auth });
          return res.json?.data?.find((n: Json) => n.event_id === ids.event_id && n.status === 'sent');
        },
        20_000,
        'A’s notification sent',
      );
      ids.notification_id = notification.notification_id;
    });

    afterAll(async () => {
      await receiver?.stop();
    });

    /** Valid bodies, so that only ownership can refuse the call (an invalid one would answer 400 first). */
    const BODIES: Record<string, unknown> = {
      'PATCH /api/v1/webhooks/{webhook_id}': { name: 'taken by b', active: false },
      'POST /api/v1/webhooks/{webhook_id}/recover': { since: '2000-01-01T00:00:00Z' },
      'PATCH /api/v1/sources/{source_id}': { name: 'taken by b', active: false },
      'PATCH /api/v1/notification-rules/{rule_id}': { name: 'taken by b', active: false },
    };

    it('answers 404 NOT_FOUND to every route of the OpenAPI document called with the other tenant’s ids, and changes nothing', async () => {
      const doc = (await api('GET', '/docs-json')).json as {
        paths: Record<string, Record<string, { tags?: string[] }>>;
      };
      const routes = Object.entries(doc.paths)
        .filter(([path]) => path.includes('{'))
        .flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, tags: op.tags ?? [] })),
        )
        // deletions last, so every other call still finds A's resource
        .sort((x, y) => Number(x.method === 'DELETE') - Number(y.method === 'DELETE'));
      const storedBefore = await inboundCount(source.id);
      const problems: string[] = [];
      const probed: string[] = [];
      const skipped: string[] = [];
      for (const route of routes) {
        const name = `${route.method} ${route.path}`;
        if (route.tags.includes('tenants')) {
          // tenants/{tenant_id}/api-keys…: the operator's admin key, not a tenant's, guards these
          skipped.push(`${name}: admin routes (ADMIN_API_KEY), no tenant scope`);
          continue;
        }
        const ingest = route.tags.includes('ingest') || route.tags.includes('integrations');
        const values: Record<string, string> = ingest ? { source_id: ids.source_id, kind: 'message' } : ids;
        const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        const missing = params.filter((p) => values[p] === undefined);
        if (missing.length > 0) {
          problems.push(`${name}: no id of tenant A for {${missing.join('}, {')}}: create one in beforeAll`);
          continue;
        }
        const path = route.path.replace(/\{(\w+)\}/g, (_m, p: string) => encodeURIComponent(values[p]));
        const json = route.method === 'POST' || route.method === 'PATCH' ? (BODIES[name] ?? {}) : undefined;
        const headers: Record<string, string> = { ...b.auth, ...(ingest ? { 'X-Webhook-ID': ids.source_id } : {}) };
        const res = await api(route.method, path, { headers, json });
        probed.push(`${name} → ${res.status}`);
        // an id B sent may be named back ("Webhook wh_… not found"); any other id of A may not
        const supplied = new Set([...params.map((p) => values[p]), ...(ingest ? [ids.source_id] : [])]);
        const leaked = Object.values(ids).filter((id) => !supplied.has(id) && res.text.includes(id));
        if (ingest) {
          // ingest routes are found by the source id, not an API key: the source's own verification refuses B
          if (res.status < 400 || !isErrorEnvelope(res.json)) problems.push(`${name}: ${res.status} ${res.text}`);
        } else if (res.status !== 404 || res.json?.error?.code !== 'NOT_FOUND' || !isErrorEnvelope(res.json)) {
          problems.push(`${name}: ${res.status} ${res.text.slice(0, 300)}`);
        }
        if (leaked.length > 0) problems.push(`${name}: the answer names A's ${leaked.join(', ')}`);
      }
      process.stdout.write(`tenant probe: ${probed.length} calls; skipped ${JSON.stringify(skipped)}\n`);
      expect(problems).toEqual([]);
      expect(probed.length).toBeGreaterThanOrEqual(20);
      expect(await inboundCount(source.id)).toBe(storedBefore);

      // B's own lists (and every other GET without parameters) never show A's ids, whatever the filter
      const lists = Object.entries(doc.paths)
        .filter(([path, methods]) => !path.includes('{') && methods.get !== undefined)
        .map(([path]) => path);
      expect(lists).toEqual(
        expect.arrayContaining([`${V1}/webhooks`, `${V1}/sources`, `${V1}/inbound-events`, `${V1}/notifications`]),
      );
      const filters = `?source_id=${ids.source_id}&rule_id=${ids.rule_id}&webhook_id=${ids.webhook_id}&event_id=${ids.event_id}`;
      for (const path of lists) {
        for (const query of ['', filters]) {
          const res = await api('GET', `${path}${query}`, { headers: b.auth });
          // what B gets back (an error naming a filter value B sent itself is no leak)
          const body = res.status < 400 ? JSON.stringify(res.json?.data ?? res.text) : '';
          const named = Object.values(ids).filter((id) => body.includes(id));
          expect({ path, query, named }).toEqual({ path, query, named: [] });
        }
      }

      // A's resources are as they were
      expect(await must(a, 'GET', `${V1}/webhooks/${ids.webhook_id}`, undefined, 200)).toMatchObject({
        name: 'a-hook',
        active: true,
      });
      expect(await must(a, 'GET', `${V1}/sources/${ids.source_id}`, undefined, 200)).toMatchObject({
        name: 'a-source',
        active: true,
      });
      expect(await must(a, 'GET', `${V1}/notification-rules/${ids.rule_id}`, undefined, 200)).toMatchObject({
        name: 'a-rule',
        active: true,
      });
      expect(await must(a, 'GET', `${V1}/events/${ids.event_id}`, undefined, 200)).toMatchObject({
        event_id: ids.event_id,
      });
      expect(await must(a, 'GET', `${V1}/inbound-events/${ids.inbound_event_id}`, undefined, 200)).toMatchObject({
        id: ids.inbound_event_id,
      });
      expect(await must(a, 'GET', `${V1}/notifications/${ids.notification_id}`, undefined, 200)).toMatchObject({
        status: 'sent',
      });
      // B's retry and test were refused: A's subscriber got exactly one request, its delivery one attempt
      expect(await must(a, 'GET', `${V1}/webhooks/deliveries/${ids.delivery_id}`, undefined, 200)).toMatchObject({
        status: 'success',
        attempt: 1,
      });
      expect(receiver.requests).toHaveLength(1);
      // the secrets still work: the source takes A's signature, deliveries are signed with the secret B could not rotate
      expect(outcome(await send(signedFor(source, source.secret)))).toEqual(accepted(source));
      await must(a, 'POST', `${V1}/events`, { event_type: 'probe.after', data: { n: 2 } }, 202);
      const [, second] = await receiver.waitForRequests(2, 20_000);
      const ts = second.headers['x-webhook-timestamp'];
      expect(second.headers['x-webhook-signature']).toBe(
        `sha256=${hmacHex('sha256', webhookSecret, `${String(ts)}.${second.body}`)}`,
      );
    });
  });

  // -------------------------------------------------------------------------------------------------------
  describe('Secrets never in logs or API answers', () => {
    it('keeps every API key, source secret, subscription secret and channel credential out of the logs (LOG_LEVEL=debug) and of every answer after creation', async () => {
      await useWorker(true);
      const receiver = await new Receiver().start();
      try {
        await exerciseSecrets(receiver);
      } finally {
        await receiver.stop();
      }

      // answers: nothing after creation shows a secret (url-token sources carry theirs in ingest_url, by contract)
      const shown = answers.flatMap(({ what, text }) => {
        const scrubbed = text.replace(/([?&]token=)[^&"\\]*/g, '$1<token>');
        return secrets.filter((s) => s.hiddenInAnswers && scrubbed.includes(s.value)).map((s) => `${what}: ${s.label}`);
      });
      expect(shown).toEqual([]);

      // at rest: the tables hold secrets sealed or hashed, never as given
      const tables = [
        'sources',
        'subscriptions',
        'notification_rules',
        'api_keys',
        'inbound_events',
        'delivery_attempts',
        'notifications',
      ];
      for (const table of tables) {
        const rows = await db.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${table} t`);
        const text = rows.rows.map((r) => r.row).join('\n');
        const stored = secrets.filter((s) => s.hiddenInAnswers && text.includes(s.value)).map((s) => s.label);
        expect({ table, stored }).toEqual({ table, stored: [] });
      }

      // logs: stop every process (so everything is written), then read api and worker output
      await stack.stop();
      const processes = [stack.api, ...stack.workers];
      const logs = processes.map((proc, i) => ({ name: i === 0 ? 'api' : `worker${i}`, text: proc.output() }));
      // the processes really logged at debug level (pino level 20)
      expect(logs.some((log) => log.text.includes('"level":20'))).toBe(true);
      const logged = logs.flatMap(({ name, text }) =>
        secrets.filter((s) => text.includes(s.value)).map((s) => `${name}: ${s.label}`),
      );
      expect([...new Set(logged)]).toEqual([]);
      expect(secrets.length).toBeGreaterThan(20);
    });
  });
});

/** Creates a secret of every kind there is, uses them all, and reads everything back. */
async function exerciseSecrets(receiver: Receiver): Promise<void> {
  const tenant = await newTenant('secrets');
  // a second API key, issued by the operator
  const extra = await api('POST', `${V1}/tenants/${tenant.id}/api-keys`, {
    headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    json: { name: 'second' },
    creation: true,
  });
  expect(extra.status).toBe(201);
  const secondKey = remember('second api key', extra.json.data.api_key);

  // a source of every signed scheme, and shared-token sources reading a custom header
  const sources: SourceRef[] = [];
  for (const scheme of SIGNED) sources.push(await createSource(tenant, scheme, `secrets ${scheme}`));
  const customHeader = await createSource(tenant, 'shared-token', 'custom header', { header: 'X-Shop-Key' });
  const verifyToken = remember('whatsapp config.verify_token', `verify-${randomBytes(10).toString('hex')}`, false);
  // config.verify_token is shown in source answers by design (docs/integrations/whatsapp.md): logs only
  const whatsappSource = await createSource(tenant, 'whatsapp', 'handshake', { config: { verify_token: verifyToken } });

  // subscriptions: a given secret, a generated one, and a rotation
  const given = remember('given subscription secret', `given-secret-${randomBytes(12).toString('hex')}`);
  const hookGiven = await must(
    tenant,
    'POST',
    `${V1}/webhooks`,
    { name: 'given', url: receiver.url('/given'), events: ['secret.*'], secret: given, timeout_ms: 2000 },
    201,
    true,
  );
  const hookGenerated = await must(
    tenant,
    'POST',
    `${V1}/webhooks/register`,
    { name: 'generated', url: receiver.url('/generated'), events: ['secret.*'], timeout_ms: 2000 },
    201,
    true,
  );
  remember('generated subscription secret', hookGenerated.secret);
  const rotated = await must(
    tenant,
    'POST',
    `${V1}/webhooks/${hookGenerated.webhook_id}/rotate-secret`,
    undefined,
    200,
    true,
  );
  remember('rotated subscription secret', rotated.secret);

  // channel credentials: Telegram bot token (then replaced by PATCH), WhatsApp access token
  const botToken = remember('bot token', `7000001:${randomBytes(18).toString('hex')}`);
  const telegramRule = await must(
    tenant,
    'POST',
    `${V1}/notification-rules`,
    {
      name: 'tg',
      event_types: ['secret.*'],
      channel: 'telegram',
      target: '555',
      template: 'T {{event_type}}',
      credentials: { bot_token: botToken },
    },
    201,
  );
  const botToken2 = remember('patched bot token', `7000002:${randomBytes(18).toString('hex')}`);
  await must(
    tenant,
    'PATCH',
    `${V1}/notification-rules/${telegramRule.rule_id}`,
    { credentials: { bot_token: botToken2 } },
    200,
  );
  const accessToken = remember('whatsapp access token', `EAAG${randomBytes(20).toString('hex')}`);
  const whatsappRule = await must(
    tenant,
    'POST',
    `${V1}/notification-rules`,
    {
      name: 'wa',
      event_types: ['secret.*'],
      channel: 'whatsapp',
      target: '+79161234567',
      template: 'W {{event_type}}',
      credentials: { phone_number_id: '1065403522', access_token: accessToken },
    },
    201,
  );

  // ingest: signed, forged, and the token schemes' credentials sent where they belong
  for (const source of [...sources, customHeader]) {
    expect(outcome(await send(signedFor(source, source.secret)))).toEqual(accepted(source));
    const forged = outcome(await send(signedFor(source, spec(source.scheme).secret())));
    expect({ scheme: source.scheme, ...forged }).toEqual({ scheme: source.scheme, ...REJECTED });
  }
  const handshake = await api(
    'GET',
    `${whatsappSource.path}?hub.mode=subscribe&hub.challenge=4242&hub.verify_token=${verifyToken}`,
  );
  expect(handshake).toMatchObject({ status: 200, text: '4242' });

  // authentication: wrong keys, a tenant key on an admin route, the admin key on a tenant route
  const wrong: Record<string, string>[] = [
    { Authorization: `Bearer hh_${randomBytes(32).toString('base64url')}` },
    { 'X-API-Key': `${tenant.key.slice(0, -2)}zz` },
  ];
  for (const headers of wrong) expect((await api('GET', `${V1}/webhooks`, { headers })).status).toBe(401);
  expect((await api('POST', `${V1}/tenants`, { headers: tenant.auth, json: { name: 'x' } })).status).toBe(401);
  expect((await api('GET', `${V1}/webhooks`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } })).status).toBe(
    401,
  );
  expect((await api('GET', `${V1}/tenants/me`, { headers: { 'X-API-Key': secondKey } })).status).toBe(200);

  // deliveries and notifications, a test send, then every read and an update
  await must(tenant, 'POST', `${V1}/events`, { event_type: 'secret.created', data: { n: 1 } }, 202);
  await must(tenant, 'POST', `${V1}/webhooks/${hookGiven.webhook_id}/test`, undefined, 200);
  await must(tenant, 'POST', `${V1}/notification-rules/${telegramRule.rule_id}/test`, {}, 200);
  await receiver.waitForRequests(3, 20_000);
  await eventually(
    async () => {
      const res = await api('GET', `${V1}/notifications`, { headers: tenant.auth });
      const settled = (res.json?.data ?? []).filter((n: Json) => n.status === 'sent');
      return settled.length >= 2 ? true : undefined;
    },
    20_000,
    'both notifications sent',
  );
  // the fakes saw the credentials: they were used, not just stored
  expect(telegram.requests.some((r) => r.path === `/bot${botToken2}/sendMessage`)).toBe(true);
  expect(whatsapp.requests.some((r) => r.headers.authorization === `Bearer ${accessToken}`)).toBe(true);

  for (const hook of [hookGiven, hookGenerated]) {
    await must(tenant, 'PATCH', `${V1}/webhooks/${hook.webhook_id}`, { description: 'patched' }, 200);
    await must(tenant, 'GET', `${V1}/webhooks/${hook.webhook_id}`, undefined, 200);
    const deliveries = await must(tenant, 'GET', `${V1}/webhooks/${hook.webhook_id}/deliveries`, undefined, 200);
    for (const d of deliveries) await must(tenant, 'GET', `${V1}/webhooks/deliveries/${d.delivery_id}`, undefined, 200);
  }
  for (const source of [...sources, customHeader, whatsappSource]) {
    await must(tenant, 'PATCH', `${V1}/sources/${source.id}`, { name: `patched ${source.scheme}` }, 200);
    await must(tenant, 'GET', `${V1}/sources/${source.id}`, undefined, 200);
  }
  for (const rule of [telegramRule, whatsappRule]) {
    await must(tenant, 'GET', `${V1}/notification-rules/${rule.rule_id}`, undefined, 200);
  }
  const inbound = await must(tenant, 'GET', `${V1}/inbound-events?limit=100`, undefined, 200);
  for (const item of inbound) await must(tenant, 'GET', `${V1}/inbound-events/${item.id}`, undefined, 200);
  for (const path of [
    '/webhooks',
    '/sources',
    '/notification-rules',
    '/notifications',
    '/tenants/me',
    '/event-types',
  ]) {
    await must(tenant, 'GET', `${V1}${path}`, undefined, 200);
  }
}
