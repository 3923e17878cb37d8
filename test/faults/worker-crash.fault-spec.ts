import { Client } from 'pg';
import {
  createLoadTarget,
  eventually,
  expireOrphanedLeases,
  killProcess,
  LOAD_INBOUND_TYPE,
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
 * How long the restarted worker may take to finish everything. Rows the dead worker had claimed in
 * PostgreSQL are handed back by expireOrphanedLeases (they would otherwise wait out the fixed 90 s /
 * 120 s leases). Jobs it held in Bull stay in Bull's active list until Bull's stalled-job check
 * moves them back (30 s lock, 30 s check interval: about 90 s today), and the sweeper cannot queue
 * them meanwhile because their deterministic job ids are still taken.
 */
const RECOVERY_MS = 60_000;

/**
 * SIGKILL of the only worker in the middle of 1,000 deliveries and 1,000 ingested events, then a
 * new worker: every delivery reaches the subscriber and every inbound event is processed, at least
 * once; nothing is lost or left pending.
 */
describe('Worker killed mid-load (fault)', () => {
  let stack: Stack;
  let receiver: Receiver;
  let db: Client;
  let target: LoadTarget;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    db = await openDatabase();
    stack = await startStack({ name: 'crash', workers: 1 });
    target = await createLoadTarget(stack.baseUrl, receiver.url());
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
    await db?.end();
  });

  it('delivers and processes everything at least once after a SIGKILL and a restart', async () => {
    const load = runLoad(stack.baseUrl, target, { events: EVENTS, ingests: INGESTS, concurrency: 20 });
    let loadError: unknown;
    load.catch((error: unknown) => (loadError = error));

    // kill once the subscriber has seen about a third of the deliveries
    await eventually(
      async () => (receiver.requests.length >= 300 || loadError ? true : undefined),
      60_000,
      '300 deliveries',
    );
    expect(loadError).toBeUndefined();
    const [worker] = stack.workers;
    await killProcess(worker);
    expect(worker.child.signalCode).toBe('SIGKILL');
    const atKill = await loadProgress(db, target);

    // the API keeps accepting while no worker runs
    const { eventIds, inboundIds } = await load;
    expect(eventIds).toHaveLength(EVENTS);
    expect(inboundIds).toHaveLength(INGESTS);
    const whileDown = await loadProgress(db, target);
    // the kill hit work in progress: neither kind was finished
    expect(whileDown.deliveries.success ?? 0).toBeLessThan(EVENTS);
    expect(whileDown.inbound.completed ?? 0).toBeLessThan(INGESTS);

    const expired = await expireOrphanedLeases(db);
    await stack.startWorker();
    const restartedAt = Date.now();
    await waitForLoadDone(db, target, { deliveries: EVENTS, inbound: INGESTS }, RECOVERY_MS);
    const recoveredMs = Date.now() - restartedAt;

    // every published event reached the subscriber at least once
    const seen = new Set(receiver.requests.map((r) => r.headers['x-event-id'] as string));
    const missing = eventIds.filter((id) => !seen.has(id));
    expect(missing).toEqual([]);

    // every accepted inbound event is stored, completed, and produced its one event
    const inbound = await db.query<{ id: string; status: string; events: number }>(
      `SELECT i.id, i.status, (SELECT count(*)::int FROM events e WHERE e.inbound_event_id = i.id) AS events
       FROM inbound_events i WHERE i.source_id = $1`,
      [target.sourceId],
    );
    const byId = new Map(inbound.rows.map((r) => [r.id, r]));
    expect(inboundIds.filter((id) => byId.get(id)?.status !== 'completed')).toEqual([]);
    expect(inbound.rows.filter((r) => r.events !== 1)).toEqual([]);
    const produced = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND event_type = $2`,
      [target.tenant.tenantId, LOAD_INBOUND_TYPE],
    );
    expect(produced.rows[0].n).toBe(INGESTS);

    // nothing pending anywhere
    const pending = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = $1 AND status <> 'success'`,
      [target.webhookId],
    );
    expect(pending.rows[0].n).toBe(0);

    const deliveredTwice = receiver.requests.length - seen.size;
    process.stdout.write(
      `worker crash: at kill ${JSON.stringify(atKill)}; orphaned claims ${JSON.stringify(expired)}; ` +
        `done ${recoveredMs} ms after the restart; ` +
        `${receiver.requests.length} requests for ${seen.size} events (${deliveredTwice} repeated)\n`,
    );
  });
});
