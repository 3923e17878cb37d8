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
