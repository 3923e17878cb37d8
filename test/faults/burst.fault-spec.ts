import { Client } from 'pg';
import {
  call,
  createLoadTarget,
  createTenant,
  forEachLimit,
  LoadTarget,
  openDatabase,
  Receiver,
  runLoad,
  Stack,
  startStack,
  waitForLoadDone,
} from './helpers';

const EVENTS = 200;
const INGESTS = 200;

/**
 * A burst of concurrent requests, more than one process's database pool (20 connections): every
 * publish and ingest is answered 202 (none waits for a connection until it fails), and the worker
 * gets through the backlog.
 */
describe('A burst of concurrent publishes and ingests (fault)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let db: Client;
  let target: LoadTarget;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    db = await openDatabase();
    stack = await startStack({ name: 'burst', workers: 1 });
    target = await createLoadTarget(stack.baseUrl, receiver.url());
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    await db?.end();
  });

  it('accepts 50 publishes at once, then 50 ingests at once, and processes the backlog', async () => {
    // runLoad fails on any answer but 202
    const published = await runLoad(stack.baseUrl, target, { events: EVENTS, ingests: 0, concurrency: 50 });
    const ingested = await runLoad(stack.baseUrl, target, { events: 0, ingests: INGESTS, concurrency: 50 });
    expect(published.eventIds).toHaveLength(EVENTS);
    expect(ingested.inboundIds).toHaveLength(INGESTS);
    await waitForLoadDone(db, target, { deliveries: EVENTS, inbound: INGESTS }, 30_000);
  });

  it('accepts 50 publishes at once for a tenant no subscription matches', async () => {
    const other = await createTenant(stack.baseUrl, 'Burst tenant');
    const answers: Record<number, number> = {};
    await forEachLimit(
      Array.from({ length: 300 }, (_, i) => i),
      50,
      async (i) => {
        const res = await call(stack.baseUrl, 'POST', '/api/v1/events', {
          headers: other.auth,
          json: { event_type: 'burst.ping', data: { i } },
        });
        answers[res.status] = (answers[res.status] ?? 0) + 1;
      },
    );
    expect(answers).toEqual({ 202: 300 });
  });
});
