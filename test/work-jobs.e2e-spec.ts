import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import request from 'supertest';
import { DELIVERY_QUEUE } from '../src/deliveries/delivery.work';
import { createTenant, startApp, startWorker, TestApp, TestTenant } from './helpers/app';
import { eventually, Receiver } from './helpers/receiver';

// no sweep while a test runs: only the jobs it looks at can run the rows
const OUTGOING = { ALLOW_HTTP_URLS: 'true', ALLOW_PRIVATE_URLS: 'true', SWEEP_INTERVAL: '1h' };

/**
 * The queue side of src/work: jobs carry several ids, a worker runs no more rows at once than its
 * concurrency says, and jobs in the single-id shape of before still run.
 */
describe('Jobs of several ids (e2e)', () => {
  let api: TestApp;
  let receiver: Receiver;
  let queue: Queue;

  beforeAll(async () => {
    // an API process only: its jobs wait in Redis until a test starts a worker
    api = await startApp({ ...OUTGOING, APP_ROLE: 'api' });
    queue = api.app.get<Queue>(getQueueToken(DELIVERY_QUEUE));
    receiver = await new Receiver().start();
  });

  afterAll(async () => {
    await receiver.stop();
    await api.close();
  });

  beforeEach(async () => {
    receiver.requests.length = 0;
    receiver.reply = () => ({ status: 200 });
    await queue.empty();
  });

  async function fanOut(tenant: TestTenant, subscriptions: number): Promise<string[]> {
    for (let i = 0; i < subscriptions; i += 1) {
      await request(api.http)
        .post('/api/v1/webhooks')
        .set(tenant.auth)
        .send({ name: `sub ${i}`, url: receiver.url(), events: ['*'] })
        .expect(201);
    }
    const published = await request(api.http)
      .post('/api/v1/events')
      .set(tenant.auth)
      .send({ event_type: 'deal.won', data: { n: subscriptions } })
      .expect(202);
    const event = await request(api.http)
      .get(`/api/v1/events/${published.body.data.event_id}`)
      .set(tenant.auth)
      .expect(200);
    return (event.body.data.deliveries as { delivery_id: string }[]).map((d) => d.delivery_id);
  }

  async function statuses(tenant: TestTenant, ids: string[]): Promise<string[]> {
    return Promise.all(
      ids.map(async (id) => {
        const res = await request(api.http).get(`/api/v1/webhooks/deliveries/${id}`).set(tenant.auth).expect(200);
        return res.body.data.status as string;
      }),
    );
  }

  it("queues an event's fan-out as one job of all its deliveries, and a worker runs them all", async () => {
    const tenant = await createTenant(api.http);
    const ids = await fanOut(tenant, 3);
    expect(ids).toHaveLength(3);
    const jobs = await queue.getJobs(['waiting', 'delayed']);
    expect(jobs).toHaveLength(1);
    expect([...(jobs[0].data as { ids: string[] }).ids].sort()).toEqual([...ids].sort());

    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix });
    try {
      await eventually(
        async () => ((await statuses(tenant, ids)).every((s) => s === 'success') ? true : undefined),
        15_000,
        'every delivery of the job to succeed',
      );
      expect(receiver.requests).toHaveLength(3);
    } finally {
      await worker.close();
    }
  });

  it('keeps DELIVERY_CONCURRENCY as the attempts in flight, whatever the jobs hold', async () => {
    const tenant = await createTenant(api.http);
    let inFlight = 0;
    let most = 0;
    receiver.reply = () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => (inFlight -= 1), 150);
      return { status: 200, delayMs: 150 };
    };
    // the API (DELIVERY_CONCURRENCY 50) queues one job of the six; the worker runs two at a time
    const ids = await fanOut(tenant, 6);
    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix, DELIVERY_CONCURRENCY: '2' });
    try {
      await eventually(
        async () => ((await statuses(tenant, ids)).every((s) => s === 'success') ? true : undefined),
        15_000,
        'every delivery to succeed',
      );
      expect(receiver.requests).toHaveLength(6);
      expect(most).toBeLessThanOrEqual(2);
    } finally {
      await worker.close();
    }
  });

  it('runs a job of the single-id shape queued before a deploy', async () => {
    const tenant = await createTenant(api.http);
    const [id] = await fanOut(tenant, 1);
    // the job the publisher queued is replaced by one in the old shape, under the old id
    await queue.empty();
    await queue.add('deliver', { deliveryId: id }, { jobId: `${id}:1`, removeOnComplete: true });
    const worker = await startWorker({ ...OUTGOING, QUEUE_PREFIX: api.queuePrefix });
    try {
      await eventually(
        async () => ((await statuses(tenant, [id]))[0] === 'success' ? true : undefined),
        15_000,
        'the delivery of the old-shape job to succeed',
      );
      expect(receiver.requests).toHaveLength(1);
    } finally {
      await worker.close();
    }
  });
});
