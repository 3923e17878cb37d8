import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import request from 'supertest';
import { DELIVER_JOB, DELIVERY_QUEUE } from '../src/deliveries/delivery.work';
import { startApp, TestApp } from './helpers/app';

describe('Health of the queues (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    // the api role runs no queue worker, so jobs added here stay where they are; a prefix of its own,
    // because startApp's default (pid and a per-file counter) can be the one of an earlier spec file
    t = await startApp({ APP_ROLE: 'api', QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}:health-queues` });
  });

  afterAll(async () => {
    await t.close();
  });

  it('reports every queue up with its job counts', async () => {
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        redis: { status: 'up' },
        queues: {
          status: 'up',
          deliveries: { status: 'up', waiting: 0, active: 0, delayed: 0, failed: 0 },
          inbound: { status: 'up', waiting: 0, active: 0, delayed: 0, failed: 0 },
        },
      },
    });
  });

  it('counts waiting and delayed jobs', async () => {
    const queue = t.app.get<Queue>(getQueueToken(DELIVERY_QUEUE), { strict: false });
    await queue.add(DELIVER_JOB, { deliveryId: 'dlv_health_waiting' });
    await queue.add(DELIVER_JOB, { deliveryId: 'dlv_health_delayed' }, { delay: 60_000 });
    const res = await request(t.http).get('/health').expect(200);
    expect(res.body.info.queues.deliveries).toEqual({ status: 'up', waiting: 1, active: 0, delayed: 1, failed: 0 });
  });
});

describe('Health of the queues when Redis is down (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp({ REDIS_URL: 'redis://127.0.0.1:1' });
  });

  afterAll(async () => {
    await t.close();
  });

  it('answers 503 with each queue down within about 1.5 s', async () => {
    const started = Date.now();
    const res = await request(t.http).get('/health').expect(503);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(res.body).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { queues: { status: 'down', deliveries: { status: 'down', message: expect.any(String) } } },
    });
  });
});
