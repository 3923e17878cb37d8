import { ModulesContainer } from '@nestjs/core';
import Bull from 'bull';
import request from 'supertest';
import { AdminModule } from '../src/admin/admin.module';
import { QUEUE_NAMES } from '../src/admin/queue-catalogue';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/env';
import { startApp, TEST_ADMIN_KEY, TestApp } from './helpers/app';

const CHALLENGE = 'Basic realm="Hookhub queues"';
const bearer = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };

describe('Queue dashboard /admin/queues (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 401 in the error envelope with a Basic challenge when no key is sent', async () => {
    const res = await request(t.http).get('/admin/queues').set('X-Request-ID', 'dash-1').expect(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.stringMatching(/ADMIN_API_KEY/), details: [] },
      meta: { trace_id: 'dash-1' },
    });
  });

  it('answers 401 with the challenge for a wrong key, as bearer or as Basic password', async () => {
    const wrongBearer = await request(t.http)
      .get('/admin/queues')
      .set('Authorization', `Bearer ${TEST_ADMIN_KEY}x`)
      .expect(401);
    expect(wrongBearer.headers['www-authenticate']).toBe(CHALLENGE);
    expect(wrongBearer.body.error.code).toBe('UNAUTHORIZED');

    const wrongBasic = await request(t.http).get('/admin/queues').auth('admin', 'not-the-admin-key').expect(401);
    expect(wrongBasic.headers['www-authenticate']).toBe(CHALLENGE);
    expect(wrongBasic.body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a tenant API key and guards the dashboard API and static files too', async () => {
    await request(t.http).get('/admin/queues/api/queues').expect(401);
    await request(t.http).get('/admin/queues/api/queues').set('Authorization', 'Bearer hh_tenant_key').expect(401);
    const page = await request(t.http).get('/admin/queues').set(bearer).expect(200);
    const script = /src="(static\/js\/[^"]+\.js)"/.exec(page.text)![1];
    await request(t.http).get(`/admin/queues/${script}`).expect(401);
  });

  it('serves the dashboard page with the admin key as bearer, its assets under /admin/queues/', async () => {
    const res = await request(t.http).get('/admin/queues').set(bearer).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Hookhub queues</title>');
    expect(res.text).toContain('<base href="/admin/queues/"');
    const script = /src="(static\/js\/[^"]+\.js)"/.exec(res.text)![1];
    const asset = await request(t.http).get(`/admin/queues/${script}`).set(bearer).expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('serves the dashboard page to a browser signing in with any user name and the admin key', async () => {
    const res = await request(t.http).get('/admin/queues').auth('operator', TEST_ADMIN_KEY).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('<title>Hookhub queues</title>');
  });

  it('lists the deliveries and inbound queues in the dashboard JSON API', async () => {
    const res = await request(t.http).get('/admin/queues/api/queues').auth('', TEST_ADMIN_KEY).expect(200);
    const queues = res.body.queues as { name: string; type: string; counts: Record<string, number> }[];
    expect(queues.map((q) => q.name).sort()).toEqual(['deliveries', 'inbound', 'notifications']);
    expect(queues.find((q) => q.name === 'deliveries')).toMatchObject({
      type: 'bull',
      counts: expect.objectContaining({ waiting: expect.any(Number), failed: expect.any(Number) }),
    });
  });

  it('knows every Bull queue the application registers (a new queue must be added to QUEUE_NAMES)', () => {
    const registered = new Set<string>();
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const provider of module.providers.values()) {
        if (provider.instance instanceof Bull) registered.add(provider.instance.name);
      }
    }
    expect([...registered].sort()).toEqual([...QUEUE_NAMES].sort());
  });

  it('is not part of a worker process', () => {
    const imports = (role: string) =>
      AppModule.register(loadConfig({ ...process.env, APP_ROLE: role })).imports!.map(
        (m) => (m as { module?: unknown }).module,
      );
    expect(imports('api')).toContain(AdminModule);
    expect(imports('all')).toContain(AdminModule);
    expect(imports('worker')).not.toContain(AdminModule);
  });
});

describe('Queue dashboard without ADMIN_API_KEY (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ ADMIN_API_KEY: '' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 403 FORBIDDEN in the error envelope, whatever key is sent', async () => {
    for (const auth of [
      {},
      bearer,
      { Authorization: `Basic ${Buffer.from(`x:${TEST_ADMIN_KEY}`).toString('base64')}` },
    ]) {
      const res = await request(t.http).get('/admin/queues').set(auth).expect(403);
      expect(res.body.error).toEqual({
        code: 'FORBIDDEN',
        message: expect.stringMatching(/ADMIN_API_KEY/),
        details: [],
      });
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });
});

describe('Queue dashboard against cross-site requests (e2e)', () => {
  let t: TestApp;
  const PUBLIC = 'https://hooks.example.com';
  const basic = { Authorization: `Basic ${Buffer.from(`operator:${TEST_ADMIN_KEY}`).toString('base64')}` };

  beforeAll(async () => {
    t = await startApp({ PUBLIC_URL: PUBLIC });
  });

  afterAll(async () => {
    await t.close();
  });

  async function paused(): Promise<boolean> {
    const res = await request(t.http).get('/admin/queues/api/queues').set(bearer).expect(200);
    return (res.body.queues as { name: string; isPaused: boolean }[]).find((q) => q.name === 'deliveries')!.isPaused;
  }

  const pause = (headers: Record<string, string>) =>
    request(t.http).put('/admin/queues/api/queues/deliveries/pause').set(headers);

  async function resume(): Promise<void> {
    await request(t.http).put('/admin/queues/api/queues/deliveries/resume').set(bearer).expect(200);
    expect(await paused()).toBe(false);
  }

  it.each<[string, Record<string, string>]>([
    ['a cross-site Origin', { Origin: 'https://evil.example' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'Sec-Fetch-Site': 'same-site' }],
    ['a same-origin Origin but Sec-Fetch-Site: cross-site', { Origin: PUBLIC, 'Sec-Fetch-Site': 'cross-site' }],
    ['Origin: null (a sandboxed page or a redirect)', { Origin: 'null' }],
    ['no signal at all', {}],
    [
      'X-Requested-With with a cross-site Origin',
      { 'X-Requested-With': 'XMLHttpRequest', Origin: 'https://evil.example' },
    ],
  ])('refuses a change signed in with Basic auth from %s: 403 FORBIDDEN, nothing changed', async (_why, headers) => {
    const res = await pause({ ...basic, ...headers }).set('X-Request-ID', 'csrf-1');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      error: { code: 'FORBIDDEN', message: expect.stringMatching(/Cross-site/), details: [] },
      meta: { trace_id: 'csrf-1' },
    });
    expect(await paused()).toBe(false);
  });

  it('refuses the cross-site text/plain POST a form can send (adding a job), whatever its body', async () => {
    for (const body of ['', '{"name":"forged","data":{"delivery_id":"dlv_x"}}']) {
      const res = await request(t.http)
        .post('/admin/queues/api/queues/deliveries/add')
        .set(basic)
        .set('Origin', 'https://evil.example')
        .set('Content-Type', 'text/plain')
        .send(body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({
        body,
        status: 403,
        code: 'FORBIDDEN',
      });
    }
    const queues = await request(t.http).get('/admin/queues/api/queues').set(bearer).expect(200);
    const deliveries = (queues.body.queues as { name: string; counts: Record<string, number> }[]).find(
      (q) => q.name === 'deliveries',
    )!;
    expect(Object.values(deliveries.counts).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it.each<[string, Record<string, string>]>([
    [
      'Sec-Fetch-Site: same-origin with its Origin (what browsers send)',
      { 'Sec-Fetch-Site': 'same-origin', Origin: 'http://hookhub.test' },
    ],
    ['Sec-Fetch-Site: none', { 'Sec-Fetch-Site': 'none' }],
    ['an Origin naming the Host', { Origin: 'http://hookhub.test' }],
    ['an Origin naming PUBLIC_URL', { Origin: PUBLIC }],
    ['X-Requested-With (a custom header cross-site pages cannot send)', { 'X-Requested-With': 'XMLHttpRequest' }],
  ])('lets a change signed in with Basic auth through from the dashboard’s own page: %s', async (_why, headers) => {
    const res = await pause({ ...basic, Host: 'hookhub.test', ...headers });
    expect(res.status).toBe(200);
    expect(await paused()).toBe(true);
    await resume();
  });

  it('lets changes with the key as bearer or X-API-Key through (a browser never adds those itself)', async () => {
    for (const auth of [bearer, { 'X-API-Key': TEST_ADMIN_KEY }]) {
      const res = await pause({ ...auth, Origin: 'https://evil.example' });
      expect(res.status).toBe(200);
      expect(await paused()).toBe(true);
      await resume();
    }
  });

  it('lets reads through from anywhere', async () => {
    for (const headers of [{ Origin: 'https://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, {}]) {
      await request(t.http).get('/admin/queues/api/queues').set(basic).set(headers).expect(200);
      await request(t.http).get('/admin/queues').set(basic).set(headers).expect(200);
    }
  });

  it('answers a corrupt or unsupported body encoding 400 or 415 (bull-board parses its own JSON API bodies), never 500', async () => {
    for (const [encoding, status] of [
      ['gzip', 400],
      ['deflate', 400],
      ['x-custom', 415],
    ] as [string, number][]) {
      const res = await request(t.http)
        .put('/admin/queues/api/queues/deliveries/pause')
        .set(bearer)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"not": "compressed"}');
      expect({ encoding, status: res.status }).toEqual({ encoding, status });
    }
    expect(await paused()).toBe(false);
  });

  it('still answers 401 to a cross-site change without the key', async () => {
    const res = await pause({ Origin: 'https://evil.example' });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(CHALLENGE);
  });
});
