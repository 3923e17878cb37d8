import request from 'supertest';
import { DataSource } from 'typeorm';
import { outcomeDelta } from '../src/subscriptions/subscription-stats';
import { SubscriptionsRepository } from '../src/subscriptions/subscriptions.repository';
import { createTenant, startApp, TestApp } from './helpers/app';

/**
 * The subscription stats write must not wait for transactions that insert deliveries of the
 * subscription: their foreign-key checks hold FOR KEY SHARE on its row until they commit. A stats
 * write that locked with FOR UPDATE waited for every one of them, and every later delivery insert
 * queued behind it, which held the whole pipeline up under load (docs/benchmarks.md).
 */
describe('subscription stats and delivery inserts (row locks)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ ALLOW_HTTP_URLS: 'true', ALLOW_PRIVATE_URLS: 'true' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('writes the stats while another transaction holds the key-share lock a delivery insert takes', async () => {
    const tenant = await createTenant(t.http);
    const res = await request(t.http)
      .post('/api/v1/webhooks')
      .set(tenant.auth)
      .send({ name: 'locks', url: 'http://127.0.0.1:9/hooks', events: ['*'] })
      .expect(201);
    const webhookId = (res.body as { data: { webhook_id: string } }).data.webhook_id;
    const dataSource = t.app.get(DataSource);
    const repository = t.app.get(SubscriptionsRepository);

    const inserting = dataSource.createQueryRunner();
    await inserting.connect();
    await inserting.startTransaction();
    try {
      // what the foreign-key check of an uncommitted delivery insert holds on the subscription's row
      await inserting.query('SELECT 1 FROM subscriptions WHERE id = $1 FOR KEY SHARE', [webhookId]);
      const delta = outcomeDelta({ ok: true, dead: false, status: 'success', httpStatus: 200 });
      // a lock wait fails at once (55P03) instead of hanging until the other transaction ends
      const rows = await dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL lock_timeout = '1s'`);
        return repository.applyStats(manager, new Map([[webhookId, delta]]));
      });
      expect(rows).toEqual([expect.objectContaining({ id: webhookId, consecutive_dead: 0 })]);
    } finally {
      await inserting.rollbackTransaction();
      await inserting.release();
    }
    const stats = await request(t.http).get(`/api/v1/webhooks/${webhookId}`).set(tenant.auth).expect(200);
    expect(JSON.stringify(stats.body)).toContain('"deliveries_count":1');
  });
});
