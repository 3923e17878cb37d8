import { Client } from 'pg';
import {
  createLoadTarget,
  LoadTarget,
  openDatabase,
  Receiver,
  runLoad,
  Stack,
  startStack,
  waitForLoadDone,
} from './helpers';

const EVENTS = 1000;

/** The Dispatcher's debug line for each attempt a worker made. */
const ATTEMPT_LINE = /"msg":"delivery dlv_[0-9a-z]+ attempt \d+ for evt_[0-9a-z]+: \w+"/g;

/** Two worker processes share 1,000 deliveries with no fault: each delivery is sent exactly once. */
describe('Two workers share the load (fault)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let db: Client;
  let target: LoadTarget;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    db = await openDatabase();
    stack = await startStack({ name: 'twoworkers', workers: 2, workerEnv: { LOG_LEVEL: 'debug' } });
    target = await createLoadTarget(stack.baseUrl, receiver.url());
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    await db?.end();
  });

  it('sends every delivery exactly once', async () => {
    const { eventIds } = await runLoad(stack.baseUrl, target, { events: EVENTS, ingests: 0, concurrency: 20 });
    expect(eventIds).toHaveLength(EVENTS);
    await waitForLoadDone(db, target, { deliveries: EVENTS, inbound: 0 }, 60_000);
    // give a duplicate that is still on its way the time to arrive
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const perDelivery = new Map<string, number>();
    const perEvent = new Map<string, number>();
    for (const r of receiver.requests) {
      const delivery = r.headers['x-delivery-id'] as string;
      const event = r.headers['x-event-id'] as string;
      perDelivery.set(delivery, (perDelivery.get(delivery) ?? 0) + 1);
      perEvent.set(event, (perEvent.get(event) ?? 0) + 1);
    }
    expect(receiver.requests).toHaveLength(EVENTS);
    expect([...perDelivery].filter(([, n]) => n !== 1)).toEqual([]);
    expect(perDelivery.size).toBe(EVENTS);
    expect(eventIds.filter((id) => perEvent.get(id) !== 1)).toEqual([]);

    const attempts = await db.query<{ delivery_id: string; n: number }>(
      `SELECT a.delivery_id, count(*)::int AS n FROM delivery_attempts a
       JOIN deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1
       GROUP BY a.delivery_id HAVING count(*) <> 1`,
      [target.webhookId],
    );
    expect(attempts.rows).toEqual([]);
    const rows = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1 AND status = 'success' AND attempt_count = 1`,
      [target.webhookId],
    );
    expect(rows.rows[0].n).toBe(EVENTS);

    // both processes took a share
    const shares = stack.workers.map((w) => w.output().match(ATTEMPT_LINE)?.length ?? 0);
    expect(shares.reduce((a, b) => a + b, 0)).toBe(EVENTS);
    for (const share of shares) expect(share).toBeGreaterThanOrEqual(EVENTS * 0.05);
    process.stdout.write(`two workers: attempts per worker ${JSON.stringify(shares)}\n`);
  });
});
