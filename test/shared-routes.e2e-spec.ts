import { randomBytes, randomInt } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { signedHeaders } from './faults/helpers';
import { createTenant, startApp, TEST_ADMIN_KEY, TestApp, TestTenant } from './helpers/app';
import { inboundCount } from './helpers/inbound';
import { startMain } from './helpers/process';
import { kommoForm, slackSignature } from './helpers/providers';

/**
 * Issue #17, points 1 and 6: the provider routes every tenant shares (Kommo, YClients, Slack) give a
 * request to the matching source whose own verification it passes, in any tenant; `none` is refused
 * there; failed verifications are limited per source (VERIFY_FAILURE_LIMIT); ingest_url follows
 * PUBLIC_URL. The shared routes look across every tenant of the database, which the spec files of a
 * run share, so every account, company and app id here is this file's own.
 */

const LIMIT = 4;
const KOMMO = '/api/v1/integrations/kommo/webhook';
const YCLIENTS = '/api/v1/integrations/yclients/webhook';
const SLACK = '/api/v1/integrations/slack/events';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

let serial = 0;
/** A numeric id no other spec file uses (Kommo account, YClients company). */
const uniqueId = (): string => `${randomInt(100_000_000, 999_999_999)}${(serial += 1)}`;

interface Created {
  source_id: string;
  ingest_url: string;
  secret: string | null;
}

/** Waits for the next clock minute when fewer than `seconds` are left in this one (failures are counted per minute). */
async function minuteWithRoom(seconds: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

describe('Shared provider routes (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ VERIFY_FAILURE_LIMIT: String(LIMIT) });
  });

  afterAll(async () => {
    await t?.close();
  });

  async function createSource(tenant: TestTenant, body: Record<string, unknown>): Promise<Created> {
    const res = await request(t.http)
      .post('/api/v1/sources')
      .set(tenant.auth)
      .send({ name: 'shared', ...body });
    expect({ status: res.status, error: res.body.error }).toEqual({ status: 201, error: undefined });
    return res.body.data as Created;
  }

  /** The path and query of an ingest_url: what the provider is told to post to. */
  const pathOf = (source: Created): string => {
    const url = new URL(source.ingest_url);
    return `${url.pathname}${url.search}`;
  };

  const post = (path: string, body: string, headers: Record<string, string>) =>
    request(t.http).post(path).set(headers).send(body);

  /** A Kommo CRM hook about a new lead of `account`. */
  const lead = (account: string, id: string): string =>
    kommoForm({
      'leads[add][0][id]': id,
      'leads[add][0][name]': `Lead ${id}`,
      'leads[add][0][updated_at]': '1726139600',
      'account[id]': account,
      'account[subdomain]': `shop${account}`,
    });

  /** A YClients booking notification of `company`. */
  const booking = (company: string, id: number): string =>
    JSON.stringify({
      company_id: Number(company),
      resource: 'record',
      resource_id: id,
      status: 'create',
      data: { id, datetime: '2026-12-10T12:00:00+03:00', services: [{ title: 'Haircut', cost: 1000 }] },
    });

  /** Where an inbound event was stored, as its owner sees it, and whether `other` sees it at all. */
  async function storedFor(id: string, owner: TestTenant, other: TestTenant) {
    const mine = await request(t.http).get(`/api/v1/inbound-events/${id}`).set(owner.auth);
    const theirs = await request(t.http).get(`/api/v1/inbound-events/${id}`).set(other.auth);
    return { owner: mine.status, source_id: mine.body.data?.source_id, other: theirs.status };
  }

  async function listedIds(tenant: TestTenant, sourceId: string): Promise<string[]> {
    const res = await request(t.http)
      .get(`/api/v1/inbound-events?source_id=${sourceId}&limit=100`)
      .set(tenant.auth)
      .expect(200);
    return (res.body.data as { id: string }[]).map((e) => e.id);
  }

  describe('verification "none"', () => {
    let a: TestTenant;
    let b: TestTenant;

    beforeAll(async () => {
      a = await createTenant(t.http, 'none A');
      b = await createTenant(t.http, 'none B');
    });

    it.each([
      ['kommo', { account_id: uniqueId() }],
      ['yclients', { company_id: uniqueId() }],
      ['slack', { api_app_id: `A${uniqueId()}` }],
    ])(
      'is refused for a %s source, on create and on patch: 400 naming verification.scheme',
      async (provider, config) => {
        const create = await request(t.http)
          .post('/api/v1/sources')
          .set(b.auth)
          .send({ name: 'capture', provider, verification: { scheme: 'none' }, config })
          .expect(400);
        expect(create.body.error).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: [
            { field: 'verification.scheme', message: expect.stringMatching(/not allowed.*shared by every tenant/) },
          ],
        });

        const verification = provider === 'slack' ? { scheme: 'slack', secret: 'slack-signing-secret' } : undefined;
        const source = await createSource(b, { provider, config, ...(verification ? { verification } : {}) });
        const patch = await request(t.http)
          .patch(`/api/v1/sources/${source.source_id}`)
          .set(b.auth)
          .send({ verification: { scheme: 'none' } })
          .expect(400);
        expect(patch.body.error.details[0].field).toBe('verification.scheme');
        const after = await request(t.http).get(`/api/v1/sources/${source.source_id}`).set(b.auth).expect(200);
        expect(after.body.data.verification.scheme).not.toBe('none');
      },
    );

    it('stays allowed for a generic source, which only its own /ingest/{source_id} reaches', async () => {
      const source = await createSource(b, { provider: 'generic', verification: { scheme: 'none' } });
      expect(pathOf(source)).toBe(`/api/v1/ingest/${source.source_id}`);
    });

    it('a Kommo source left with "none" from before is never taken by the shared route, only by its own URL', async () => {
      const account = uniqueId();
      const legacy = await createSource(b, { provider: 'kommo', config: { account_id: account } });
      await t.app
        .get(DataSource)
        .query(`UPDATE sources SET scheme = 'none', secret_sealed = NULL WHERE id = $1`, [legacy.source_id]);

      const alone = await post(KOMMO, lead(account, '1'), FORM).expect(404);
      expect(alone.body.error.message).toMatch(/reachable only at \/api\/v1\/ingest\/\{source_id\}/);
      const got = await request(t.http).get(`/api/v1/sources/${legacy.source_id}`).set(b.auth).expect(200);
      expect(pathOf(got.body.data as Created)).toBe(`/api/v1/ingest/${legacy.source_id}`);
      await post(`/api/v1/ingest/${legacy.source_id}`, lead(account, '2'), FORM).expect(202);

      // an honest, newer source of the same account: the old "none" one never takes what the route gets
      const honest = await createSource(a, { provider: 'kommo', config: { account_id: account } });
      const unsigned = await post(KOMMO, lead(account, '3'), FORM).expect(401);
      expect(unsigned.body.error.code).toBe('INVALID_SIGNATURE');
      const signed = await post(pathOf(honest), lead(account, '4'), FORM).expect(202);
      expect(await storedFor(signed.body.data.webhook_event_id, a, b)).toEqual({
        owner: 200,
        source_id: honest.source_id,
        other: 404,
      });
      expect(await inboundCount(t.http, b.auth, legacy.source_id)).toBe(1);
    });
  });

  describe('two tenants of one Kommo account', () => {
    it('each gets its own webhooks with its own token, whichever source is older; a wrong token stores nothing', async () => {
      const account = uniqueId();
      const b = await createTenant(t.http, 'Kommo B (older source)');
      const a = await createTenant(t.http, 'Kommo A');
      const sourceB = await createSource(b, { provider: 'kommo', config: { account_id: account } });
      const sourceA = await createSource(a, { provider: 'kommo', config: { account_id: account } });
      expect(new URL(sourceA.ingest_url).pathname).toBe(KOMMO);
      expect(new URL(sourceB.ingest_url).pathname).toBe(KOMMO);

      const toA = await post(pathOf(sourceA), lead(account, '10'), FORM).expect(202);
      const toB = await post(pathOf(sourceB), lead(account, '11'), FORM).expect(202);
      const byOrgId = await post(pathOf(sourceA), kommoForm({ 'leads[add][0][id]': '12' }), {
        ...FORM,
        'X-Org-Id': account,
      }).expect(202);
      const [idA, idB, idOrg] = [toA, toB, byOrgId].map((res) => res.body.data.webhook_event_id as string);
      expect(await storedFor(idA, a, b)).toEqual({ owner: 200, source_id: sourceA.source_id, other: 404 });
      expect(await storedFor(idOrg, a, b)).toEqual({ owner: 200, source_id: sourceA.source_id, other: 404 });
      expect(await storedFor(idB, b, a)).toEqual({ owner: 200, source_id: sourceB.source_id, other: 404 });
      expect((await listedIds(a, sourceA.source_id)).sort()).toEqual([idA, idOrg].sort());
      expect(await listedIds(b, sourceB.source_id)).toEqual([idB]);
      expect(await listedIds(b, sourceA.source_id)).toEqual([]);

      for (const path of [`${KOMMO}?token=not-a-token`, KOMMO]) {
        const refused = await post(path, lead(account, '13'), FORM).expect(401);
        expect(refused.body.error).toMatchObject({
          code: 'INVALID_SIGNATURE',
          message: expect.stringMatching(/token/),
        });
        expect(refused.body.error.message).not.toMatch(/src_/);
      }
      expect(await inboundCount(t.http, a.auth, sourceA.source_id)).toBe(2);
      expect(await inboundCount(t.http, b.auth, sourceB.source_id)).toBe(1);
    });
  });

  describe('two tenants of one YClients company', () => {
    it('each gets its own notifications with its own token; a wrong token stores nothing', async () => {
      const company = uniqueId();
      const a = await createTenant(t.http, 'YClients A');
      const b = await createTenant(t.http, 'YClients B');
      const sourceA = await createSource(a, { provider: 'yclients', config: { company_id: Number(company) } });
      const sourceB = await createSource(b, { provider: 'yclients', config: { company_id: company } });

      const toB = await post(pathOf(sourceB), booking(company, 501), JSON_TYPE).expect(202);
      const toA = await post(pathOf(sourceA), booking(company, 502), JSON_TYPE).expect(202);
      // the very same notification, sent to both tenants' URLs, is stored once for each
      const sameA = await post(pathOf(sourceA), booking(company, 503), JSON_TYPE).expect(202);
      const sameB = await post(pathOf(sourceB), booking(company, 503), JSON_TYPE).expect(202);
      const ids = [toA, toB, sameA, sameB].map((res) => res.body.data.webhook_event_id as string);
      expect(await storedFor(ids[0], a, b)).toEqual({ owner: 200, source_id: sourceA.source_id, other: 404 });
      expect(await storedFor(ids[1], b, a)).toEqual({ owner: 200, source_id: sourceB.source_id, other: 404 });
      expect(await storedFor(ids[2], a, b)).toEqual({ owner: 200, source_id: sourceA.source_id, other: 404 });
      expect(await storedFor(ids[3], b, a)).toEqual({ owner: 200, source_id: sourceB.source_id, other: 404 });

      const wrong = await post(`${YCLIENTS}?token=${'x'.repeat(32)}`, booking(company, 504), JSON_TYPE).expect(401);
      expect(wrong.body.error.code).toBe('INVALID_SIGNATURE');
      await post(YCLIENTS, booking(company, 505), JSON_TYPE).expect(401);
      expect((await listedIds(a, sourceA.source_id)).sort()).toEqual([ids[0], ids[2]].sort());
      expect((await listedIds(b, sourceB.source_id)).sort()).toEqual([ids[1], ids[3]].sort());
    });
  });

  describe('two Slack apps of one workspace', () => {
    it('a request signed with one tenant’s signing secret goes to that tenant; another secret is 401', async () => {
      const app = `A${uniqueId()}`;
      const team = `T${uniqueId()}`;
      const a = await createTenant(t.http, 'Slack A');
      const b = await createTenant(t.http, 'Slack B');
      const secretA = `slack-a-${randomBytes(8).toString('hex')}`;
      const secretB = `slack-b-${randomBytes(8).toString('hex')}`;
      const sourceB = await createSource(b, {
        provider: 'slack',
        verification: { scheme: 'slack', secret: secretB },
        config: { team_id: team },
      });
      const sourceA = await createSource(a, {
        provider: 'slack',
        verification: { scheme: 'slack', secret: secretA },
        config: { api_app_id: app, team_id: team },
      });
      const event = (n: number) =>
        JSON.stringify({
          type: 'event_callback',
          api_app_id: app,
          team_id: team,
          event_id: `Ev${uniqueId()}${n}`,
          event_time: Math.floor(Date.now() / 1000),
          event: { type: 'app_mention', user: 'U1', text: 'hi', channel: 'C1', ts: '1.1' },
        });
      const send = (body: string, secret: string) =>
        post(SLACK, body, { ...JSON_TYPE, ...slackSignature(body, secret) });

      const [one, two] = [event(1), event(2)];
      const toA = await send(one, secretA).expect(202);
      const toB = await send(two, secretB).expect(202);
      expect(await storedFor(toA.body.data.webhook_event_id, a, b)).toMatchObject({ source_id: sourceA.source_id });
      expect(await storedFor(toB.body.data.webhook_event_id, b, a)).toMatchObject({ source_id: sourceB.source_id });

      const forged = await send(event(3), 'not-anyones-signing-secret').expect(401);
      expect(forged.body.error.code).toBe('INVALID_SIGNATURE');
      const challenge = JSON.stringify({ type: 'url_verification', api_app_id: app, challenge: 'c-1' });
      expect((await send(challenge, secretA).expect(200)).body).toEqual({ challenge: 'c-1' });
      await send(challenge, 'not-anyones-signing-secret').expect(401);
      expect(await inboundCount(t.http, a.auth, sourceA.source_id)).toBe(1);
      expect(await inboundCount(t.http, b.auth, sourceB.source_id)).toBe(1);
    });
  });

  describe(`failed verifications (VERIFY_FAILURE_LIMIT=${LIMIT})`, () => {
    let tenant: TestTenant;

    beforeAll(async () => {
      tenant = await createTenant(t.http, 'throttled');
    });

    const expectLimited = (res: request.Response) => {
      expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(res.body.error.message).not.toMatch(/src_/);
    };

    it('/api/v1/ingest/{source_id} (fast path) and its other routes: 401 up to the limit, then 429 even when signed', async () => {
      const secret = `throttle-${randomBytes(8).toString('hex')}`;
      const source = await createSource(tenant, {
        provider: 'generic',
        verification: { scheme: 'hmac-sha256', secret },
      });
      const other = await createSource(tenant, {
        provider: 'generic',
        verification: { scheme: 'hmac-sha256', secret },
      });
      const body = (n: number) => JSON.stringify({ event_type: 'order.created', event_id: `order-${n}` });
      const signed = (n: number) => ({ ...JSON_TYPE, ...signedHeaders(body(n), secret) });
      const path = `/api/v1/ingest/${source.source_id}`;

      await minuteWithRoom(20);
      await post(path, body(0), signed(0)).expect(202);
      for (let i = 1; i <= LIMIT; i += 1) {
        await post(path, body(i), { ...signed(i), 'X-Webhook-Signature': `sha256=${'0'.repeat(64)}` }).expect(401);
      }
      expectLimited(await post(path, body(10), signed(10)));
      expectLimited(await post(`${path}/`, body(11), signed(11))); // the same route through Nest's router
      expectLimited(
        await post('/api/v1/webhooks/incoming/order.created', body(12), {
          ...signed(12),
          'X-Webhook-ID': source.source_id,
        }),
      );
      expect(await inboundCount(t.http, tenant.auth, source.source_id)).toBe(1);
      // another source, with the very same secret, is not affected
      await post(`/api/v1/ingest/${other.source_id}`, body(13), signed(13)).expect(202);
    });

    it('a shared route counts a request against every matching source only when none verifies it', async () => {
      const account = uniqueId();
      const b = await createTenant(t.http, 'throttled B');
      const sourceB = await createSource(b, { provider: 'kommo', config: { account_id: account } });
      const sourceA = await createSource(tenant, { provider: 'kommo', config: { account_id: account } });

      await minuteWithRoom(20);
      // A's traffic fails the check of B's (older) source first, then passes A's: nothing is counted
      for (let i = 0; i <= LIMIT; i += 1) await post(pathOf(sourceA), lead(account, `2${i}`), FORM).expect(202);
      await post(pathOf(sourceB), lead(account, '30'), FORM).expect(202);

      for (let i = 0; i < LIMIT; i += 1) {
        await post(`${KOMMO}?token=guess-${i}`, lead(account, `4${i}`), FORM).expect(401);
      }
      expectLimited(await post(pathOf(sourceA), lead(account, '50'), FORM));
      expectLimited(await post(pathOf(sourceB), lead(account, '51'), FORM));
      expectLimited(await post(`${KOMMO}?token=guess-more`, lead(account, '52'), FORM));
      // each source's own URL keeps its own count
      await post(`/api/v1/ingest/${sourceA.source_id}?token=${sourceA.secret}`, lead(account, '53'), FORM).expect(202);
      expect(await inboundCount(t.http, tenant.auth, sourceA.source_id)).toBe(LIMIT + 2);
      expect(await inboundCount(t.http, b.auth, sourceB.source_id)).toBe(1);
    });

    it('counts failed verifications and refusals in GET /metrics, by provider and route', async () => {
      const text = (await request(t.http).get('/metrics').expect(200)).text;
      const value = (name: string, provider: string, route: string): number => {
        const line = text
          .split('\n')
          .find(
            (l) => l.startsWith(`${name}{`) && l.includes(`provider="${provider}"`) && l.includes(`route="${route}"`),
          );
        return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
      };
      expect(text).toMatch(/# TYPE hookhub_ingest_verification_failures_total counter/);
      expect(value('hookhub_ingest_verification_failures_total', 'generic', 'source')).toBeGreaterThanOrEqual(LIMIT);
      expect(value('hookhub_ingest_verification_failures_total', 'kommo', 'shared')).toBeGreaterThanOrEqual(LIMIT);
      expect(value('hookhub_ingest_verification_throttled_total', 'generic', 'source')).toBeGreaterThanOrEqual(3);
      expect(value('hookhub_ingest_verification_throttled_total', 'kommo', 'shared')).toBeGreaterThanOrEqual(3);
    });
  });

  describe('PUBLIC_URL', () => {
    it('builds every ingest_url from PUBLIC_URL (its path kept), never from the Host header', async () => {
      const pub = await startApp({ PUBLIC_URL: 'https://hooks.example.com/hookhub/' });
      try {
        const tenant = await createTenant(pub.http, 'public url');
        for (const body of [
          { provider: 'generic' },
          { provider: 'yclients', config: { company_id: uniqueId() } },
          { provider: 'slack', verification: { scheme: 'slack', secret: 'slack-signing-secret' } },
        ]) {
          const res = await request(pub.http)
            .post('/api/v1/sources')
            .set(tenant.auth)
            .set('Host', 'attacker.example')
            .send({ name: 'p', ...body })
            .expect(201);
          expect(res.body.data.ingest_url).toMatch(/^https:\/\/hooks\.example\.com\/hookhub\/api\/v1\//);
          const listed = await request(pub.http).get('/api/v1/sources').set(tenant.auth).set('Host', 'x.example');
          expect(JSON.stringify(listed.body.data)).not.toMatch(/attacker\.example|x\.example/);
        }
      } finally {
        await pub.close();
      }
    });

    it('warns at a production start of the API when it is not set, and not when it is', async () => {
      const start = (publicUrl: string) =>
        startMain({
          NODE_ENV: 'production',
          ENCRYPTION_KEY: randomBytes(32).toString('base64'),
          ADMIN_API_KEY: TEST_ADMIN_KEY,
          APP_ROLE: 'api',
          PORT: '0',
          LOG_LEVEL: 'info',
          QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}:public-url-${randomBytes(3).toString('hex')}`,
          PUBLIC_URL: publicUrl,
        });
      const outputs = await Promise.all(
        ['', 'https://hooks.example.com'].map(async (publicUrl) => {
          const proc = start(publicUrl);
          await proc.waitFor(/Hookhub started: role=api/, 60_000);
          proc.child.kill('SIGTERM');
          await proc.exited;
          return proc.output();
        }),
      );
      expect(outputs[0]).toMatch(/PUBLIC_URL is not set/);
      expect(outputs[1]).not.toMatch(/PUBLIC_URL is not set/);
    }, 90_000);
  });
});
