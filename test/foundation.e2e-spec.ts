import request from 'supertest';
import { createTenant, startApp, TEST_ADMIN_KEY, TestApp } from './helpers/app';

describe('Foundation (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ MAX_BODY_BYTES: '2kb' });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('health and docs', () => {
    it('GET /health answers 200 with the database and Redis up', async () => {
      const res = await request(t.http).get('/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        info: { database: { status: 'up' }, redis: { status: 'up' } },
      });
    });

    it('GET /metrics exposes Prometheus text', async () => {
      const res = await request(t.http).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('hookhub_process_cpu_user_seconds_total');
    });

    it('GET /docs-json is an OpenAPI 3 document listing the routes and the bearer scheme', async () => {
      const res = await request(t.http).get('/docs-json').expect(200);
      expect(res.body.openapi).toMatch(/^3\./);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/health',
          '/metrics',
          '/api/v1/tenants',
          '/api/v1/tenants/me',
          '/api/v1/tenants/{tenant_id}/api-keys',
          '/api/v1/tenants/{tenant_id}/api-keys/{api_key_id}',
        ]),
      );
      expect(res.body.components.securitySchemes.api_key).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(res.body.paths['/api/v1/tenants/me'].get.tags).toEqual(['tenants']);
      // the Swagger CLI plugin documents DTO fields without decorators
      expect(res.body.components.schemas.CreateTenantDto.required).toEqual(['name']);
    });

    it('GET /docs serves Swagger UI', async () => {
      const res = await request(t.http).get('/docs').redirects(1).expect(200);
      expect(res.text).toContain('swagger-ui');
    });
  });

  describe('authentication', () => {
    it('answers 401 UNAUTHORIZED without a key', async () => {
      const res = await request(t.http).get('/api/v1/tenants/me').expect(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
      expect(res.body.error.message).toMatch(/API key/);
    });

    it('answers 401 UNAUTHORIZED with a wrong key, by header or bearer', async () => {
      await request(t.http).get('/api/v1/tenants/me').set('X-API-Key', 'hh_wrong').expect(401);
      const res = await request(t.http).get('/api/v1/tenants/me').set('Authorization', 'Bearer hh_nope').expect(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    });

    it('refuses tenant creation without the admin key, and with a tenant key', async () => {
      const none = await request(t.http).post('/api/v1/tenants').send({ name: 'x' }).expect(401);
      expect(none.body.error.code).toBe('UNAUTHORIZED');
      const tenant = await createTenant(t.http);
      await request(t.http).post('/api/v1/tenants').set(tenant.auth).send({ name: 'x' }).expect(401);
    });

    it('creates a tenant with the admin key and shows its key once', async () => {
      const res = await request(t.http)
        .post('/api/v1/tenants')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({ name: 'Acme Salons' })
        .expect(201);
      expect(res.body.data).toEqual({
        tenant_id: expect.stringMatching(/^ten_[0-9a-z]{26}$/),
        name: 'Acme Salons',
        timezone: 'UTC',
        locale: 'en',
        api_key: expect.stringMatching(/^hh_[A-Za-z0-9_-]{43}$/),
        api_key_id: expect.stringMatching(/^key_/),
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      });
      const me = await request(t.http).get('/api/v1/tenants/me').set('X-API-Key', res.body.data.api_key).expect(200);
      expect(me.body.data).toEqual({
        tenant_id: res.body.data.tenant_id,
        name: 'Acme Salons',
        timezone: 'UTC',
        locale: 'en',
        created_at: res.body.data.created_at,
      });
      expect(JSON.stringify(me.body)).not.toContain('api_key');
    });

    it('shows each tenant only its own tenant', async () => {
      const a = await createTenant(t.http, 'Tenant A');
      const b = await createTenant(t.http, 'Tenant B');
      const meA = await request(t.http).get('/api/v1/tenants/me').set(a.auth).expect(200);
      const meB = await request(t.http).get('/api/v1/tenants/me').set(b.auth).expect(200);
      expect(meA.body.data).toMatchObject({ tenant_id: a.tenantId, name: 'Tenant A' });
      expect(meB.body.data).toMatchObject({ tenant_id: b.tenantId, name: 'Tenant B' });
    });

    it('issues extra keys that work, and revokes them', async () => {
      const tenant = await createTenant(t.http);
      const admin = { Authorization: `Bearer ${TEST_ADMIN_KEY}` };
      const res = await request(t.http)
        .post(`/api/v1/tenants/${tenant.tenantId}/api-keys`)
        .set(admin)
        .send({ name: 'ci' })
        .expect(201);
      expect(res.body.data).toMatchObject({ tenant_id: tenant.tenantId, name: 'ci' });
      const key = res.body.data.api_key as string;
      expect(key).not.toBe(tenant.apiKey);
      await request(t.http).get('/api/v1/tenants/me').set('Authorization', `Bearer ${key}`).expect(200);

      const revoked = await request(t.http)
        .delete(`/api/v1/tenants/${tenant.tenantId}/api-keys/${res.body.data.api_key_id}`)
        .set(admin)
        .expect(200);
      expect(revoked.body.data).toEqual({ api_key_id: res.body.data.api_key_id, status: 'revoked' });
      await request(t.http).get('/api/v1/tenants/me').set('Authorization', `Bearer ${key}`).expect(401);
      await request(t.http).get('/api/v1/tenants/me').set(tenant.auth).expect(200);
    });

    it('lets a tenant set its time zone and locale, and refuses unknown ones', async () => {
      const tenant = await createTenant(t.http);
      const res = await request(t.http)
        .patch('/api/v1/tenants/me')
        .set(tenant.auth)
        .send({ timezone: 'Asia/Almaty', locale: 'ru' })
        .expect(200);
      expect(res.body.data).toMatchObject({ timezone: 'Asia/Almaty', locale: 'ru' });
      const bad = await request(t.http)
        .patch('/api/v1/tenants/me')
        .set(tenant.auth)
        .send({ timezone: 'Mars/Olympus' })
        .expect(400);
      expect(bad.body.error.details).toEqual([{ field: 'timezone', message: expect.stringContaining('IANA') }]);
    });

    it('answers 404 for keys of an unknown tenant', async () => {
      const res = await request(t.http)
        .post('/api/v1/tenants/ten_unknown/api-keys')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({})
        .expect(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('envelope and errors', () => {
    it('echoes X-Request-ID and uses it as meta.trace_id', async () => {
      const tenant = await createTenant(t.http);
      const res = await request(t.http)
        .get('/api/v1/tenants/me')
        .set(tenant.auth)
        .set('X-Request-ID', 'trace-abc-123')
        .expect(200);
      expect(res.headers['x-request-id']).toBe('trace-abc-123');
      expect(res.body.meta).toEqual({ trace_id: 'trace-abc-123' });
    });

    it('generates a trace id when none is given, on errors too', async () => {
      const res = await request(t.http).get('/api/v1/tenants/me').expect(401);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.body.meta.trace_id).toBe(res.headers['x-request-id']);
    });

    it('answers VALIDATION_FAILED with one detail per field, unknown fields refused', async () => {
      const res = await request(t.http)
        .post('/api/v1/tenants')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({ name: 42, color: 'red' })
        .expect(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual(
        expect.arrayContaining([
          { field: 'name', message: 'name must be a string' },
          { field: 'color', message: 'property color should not exist' },
        ]),
      );
      expect(res.body.meta.trace_id).toEqual(expect.any(String));
    });

    it('answers INVALID_JSON for a broken body', async () => {
      const res = await request(t.http)
        .post('/api/v1/tenants')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .set('Content-Type', 'application/json')
        .send('{"name": "x",')
        .expect(400);
      expect(res.body.error).toEqual({
        code: 'INVALID_JSON',
        message: 'The request body is not valid JSON.',
        details: [],
      });
    });

    it('answers NOT_FOUND in the envelope for an unknown route', async () => {
      const res = await request(t.http).get('/api/v1/no-such-route').set('X-Request-ID', 'nf-1').expect(404);
      expect(res.body).toEqual({
        error: { code: 'NOT_FOUND', message: 'No route GET /api/v1/no-such-route.', details: [] },
        meta: { trace_id: 'nf-1' },
      });
    });

    it('answers PAYLOAD_TOO_LARGE over MAX_BODY_BYTES', async () => {
      const res = await request(t.http)
        .post('/api/v1/tenants')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({ name: 'x'.repeat(4096) })
        .expect(413);
      expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers UNSUPPORTED_MEDIA_TYPE for a non-JSON body on the management API', async () => {
      const res = await request(t.http)
        .post('/api/v1/tenants')
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .set('Content-Type', 'text/plain')
        .send('name=x')
        .expect(415);
      expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    });

    it('never leaks a stack trace or SQL: an absurd id still answers a clean 404', async () => {
      const res = await request(t.http)
        .post(`/api/v1/tenants/${encodeURIComponent("'; drop table tenants; --")}/api-keys`)
        .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
        .send({})
        .expect(404);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|SELECT|stack/i);
    });
  });
});
