import request from 'supertest';
import { createTenant, startApp, TestApp, TestTenant } from './helpers/app';

const ALLOWED = 'https://app.example.com';
const OTHER_ALLOWED = 'http://localhost:5173';
const STRANGER = 'https://evil.example.net';

/** A browser's preflight before a cross-origin POST with JSON, an API key and an idempotency key. */
function preflight(t: TestApp, path: string, origin: string) {
  return request(t.http)
    .options(path)
    .set('Origin', origin)
    .set('Access-Control-Request-Method', 'POST')
    .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key,x-request-id');
}

const headerList = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((item) => item.trim().toLowerCase());

describe('CORS with CORS_ORIGINS set (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startApp({ APP_ROLE: 'api', CORS_ORIGINS: `${ALLOWED}/, ${OTHER_ALLOWED}` });
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers the preflight of an allowed origin with its origin, the methods and the headers of the API', async () => {
    const res = await preflight(t, '/api/v1/webhooks', ALLOWED).expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(headerList(res.headers['access-control-allow-methods'])).toEqual(
      expect.arrayContaining(['get', 'post', 'patch', 'put', 'delete']),
    );
    expect(headerList(res.headers['access-control-allow-headers'])).toEqual(
      expect.arrayContaining(['authorization', 'x-api-key', 'content-type', 'idempotency-key', 'x-request-id']),
    );
    expect(res.headers['access-control-max-age']).toBe('600');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('lets an allowed origin read answers and their X-Request-ID, errors included', async () => {
    const ok = await request(t.http)
      .get('/api/v1/tenants/me')
      .set('Origin', OTHER_ALLOWED)
      .set(tenant.auth)
      .expect(200);
    expect(ok.headers['access-control-allow-origin']).toBe(OTHER_ALLOWED);
    expect(headerList(ok.headers['access-control-expose-headers'])).toContain('x-request-id');
    expect(headerList(ok.headers.vary)).toContain('origin');
    expect(ok.body.data.tenant_id).toBe(tenant.tenantId);

    const refused = await request(t.http).get('/api/v1/tenants/me').set('Origin', ALLOWED).expect(401);
    expect(refused.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
  });

  it('gives any other origin no Access-Control-Allow-Origin, on preflights and requests', async () => {
    const pre = await preflight(t, '/api/v1/webhooks', STRANGER);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const res = await request(t.http).get('/api/v1/tenants/me').set('Origin', STRANGER).set(tenant.auth).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // an origin that only starts like an allowed one is another origin
    const lookalike = await request(t.http)
      .get('/api/v1/tenants/me')
      .set('Origin', `${ALLOWED}.evil.example.net`)
      .set(tenant.auth)
      .expect(200);
    expect(lookalike.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('applies the same policy to the ingest routes, which providers call server to server', async () => {
    const res = await preflight(t, '/api/v1/ingest/src_00000000000000000000000000', ALLOWED).expect(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
  });
});

describe('CORS without CORS_ORIGINS (e2e)', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await startApp({ APP_ROLE: 'api', CORS_ORIGINS: '' });
    tenant = await createTenant(t.http);
  });

  afterAll(async () => {
    await t.close();
  });

  it('adds no CORS header at all: browsers keep every other origin out', async () => {
    const pre = await preflight(t, '/api/v1/webhooks', ALLOWED);
    expect(pre.status).toBe(404);
    const res = await request(t.http).get('/api/v1/tenants/me').set('Origin', ALLOWED).set(tenant.auth).expect(200);
    const corsHeaders = Object.keys({ ...pre.headers, ...res.headers }).filter((name) =>
      name.startsWith('access-control-'),
    );
    expect(corsHeaders).toEqual([]);
  });
});
