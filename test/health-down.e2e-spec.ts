import request from 'supertest';
import { startApp, TestApp } from './helpers/app';

describe('Health when Redis is down (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 503 naming Redis as down while the database is up', async () => {
    const res = await request(t.http).get('/health').expect(503);
    expect(res.body).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down' } },
    });
  });
});
