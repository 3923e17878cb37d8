import Bull from 'bull';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DELIVERY_QUEUE } from '../../src/deliveries/delivery.work';
import { INBOUND_QUEUE } from '../../src/webhooks/inbound.work';
import {
  createLoadTarget,
  deleteRedisKeys,
  eventually,
  loadProgress,
  LoadTarget,
  openDatabase,
  Receiver,
  runLoad,
  Stack,
  startStack,
  waitForLoadDone,
} from './helpers';

const EVENTS = 1000;
const INGESTS = 1000;

/**
 * Every Redis key of the instance (waiting, delayed and active jobs, job hashes, rate counters) is
 * deleted twice in the middle of 1,000 deliveries and 1,000 ingested events: PostgreSQL is the
 * record, the sweepers queue the work again, and everything completes.
 */
describe('Redis loses its data mid-load (fault)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let db: Client;
  let redis: Redis;
  let target: LoadTarget;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    // a slow subscriber keeps a backlog of jobs in Redis when its keys go
    receiver.reply = () => ({ status: 200, delayMs: 20 });
    db = await openDatabase();
    redis = new Redis(process.env.REDIS_URL!);
    stack = await startStack({ name: 'redis', workers: 1, workerEnv: { DELIVERY_CONCURRENCY: '20' } });
    target = await createLoadTarget(stack.baseUrl, receiver.url());
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    redis?.disconnect();
    await db?.end();
  });

  it('completes every delivery and inbound event after the queue keys are deleted twice', async () => {
    // the worker keeps up with this load, so little work of either kind would be queued when a wipe
    // comes: hold both queues (a global pause, as an operator would) until the first wipe; that wipe
    // deletes the pauses with every other key, and resume() moves back any job that reached a paused
    // list while the keys were being deleted
    const held = [INBOUND_QUEUE, DELIVERY_QUEUE].map(
      (name) => new Bull(name, process.env.REDIS_URL!, { prefix: stack.queuePrefix }),
    );
    await Promise.all(held.map((queue) => queue.pause()));
    const load = runLoad(stack.baseUrl, target, { events: EVENTS, ingests: INGESTS, concurrency: 20 });
    let loadError: unknown;
    load.catch((error: unknown) => (loadError = error));

    const wipes: { deleted: number; progress: Awaited<ReturnType<typeof loadProgress>> }[] = [];
    const backlog = async () => {
      const { deliveries, inbound } = await loadProgress(db, target);
      return {
        deliveries: (deliveries.queued ?? 0) + (deliveries.sending ?? 0) + (deliveries.retrying ?? 0),
        inbound: (inbound.pending ?? 0) + (inbound.processing ?? 0) + (inbound.retrying ?? 0),
      };
    };
    // the first wipe once work of both kinds is queued; the second late in the deliveries
    const whenToWipe = [
      async () => {
        if (loadError) return true;
        const { deliveries, inbound } = await backlog();
        return deliveries >= 20 && inbound >= 20 ? true : undefined;
      },
      async () => (loadError || receiver.requests.length >= 600 ? true : undefined),
    ];
    for (const [i, ready] of whenToWipe.entries()) {
      await eventually(ready, 60_000, `wipe ${i + 1}`);
      expect(loadError).toBeUndefined();
      const deleted = await deleteRedisKeys(redis, stack.queuePrefix);
      wipes.push({ deleted, progress: await loadProgress(db, target) });
      if (i === 0) {
        await Promise.all(held.map((queue) => queue.resume()));
        await Promise.all(held.map((queue) => queue.close()));
      }
    }
    // the wipes hit queued work of both kinds
    const notDone = wipes.map(({ progress: { deliveries, inbound } }) => ({
      deliveries: (deliveries.queued ?? 0) + (deliveries.sending ?? 0) + (deliveries.retrying ?? 0),
      inbound: (inbound.pending ?? 0) + (inbound.processing ?? 0) + (inbound.retrying ?? 0),
    }));
    expect(wipes.every((w) => w.deleted > 0)).toBe(true);
    expect(Math.max(...notDone.map((n) => n.deliveries))).toBeGreaterThanOrEqual(20);
    expect(Math.max(...notDone.map((n) => n.inbound))).toBeGreaterThanOrEqual(20);

    const { eventIds, inboundIds } = await load;
    expect(eventIds).toHaveLength(EVENTS);
    expect(inboundIds).toHaveLength(INGESTS);
    await waitForLoadDone(db, target, { deliveries: EVENTS, inbound: INGESTS }, 60_000);

    const seen = new Set(receiver.requests.map((r) => r.headers['x-event-id'] as string));
    expect(eventIds.filter((id) => !seen.has(id))).toEqual([]);
    const inbound = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM inbound_events WHERE source_id = $1',
      [target.sourceId],
    );
    const completed = new Set(inbound.rows.filter((r) => r.status === 'completed').map((r) => r.id));
    expect(inboundIds.filter((id) => !completed.has(id))).toEqual([]);
    expect(inbound.rows).toHaveLength(INGESTS);

    process.stdout.write(
      `redis loss: wipes ${JSON.stringify(wipes)}; ${receiver.requests.length} requests for ${seen.size} events\n`,
    );
  });
});
