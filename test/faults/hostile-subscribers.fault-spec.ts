import { Client } from 'pg';
import {
  call,
  createTenant,
  eventually,
  HostileBehaviour,
  HostileSubscriber,
  mustPost,
  openDatabase,
  sleep,
  Stack,
  startStack,
  Tenant,
} from './helpers';

const EVENTS = 10;
const TIMEOUT_MS = 1000;
/** The retry schedule has three delays: four attempts in all. */
const ATTEMPTS = 4;

/** How each hostile subscriber's deliveries must end, and the error kind of each attempt. */
const EXPECTED: Record<
  Exclude<HostileBehaviour, 'ok'>,
  { status: string; kind: string | null; http: number | null }
> = {
  hang: { status: 'dead', kind: 'timeout', http: null },
  slow: { status: 'dead', kind: 'timeout', http: null },
  trickle: { status: 'dead', kind: 'timeout', http: 200 },
  reset: { status: 'dead', kind: 'connection', http: null },
  redirect: { status: 'dead', kind: 'redirect', http: 302 },
  big: { status: 'success', kind: null, http: 200 },
};

/**
 * Subscribers that hang, answer after the timeout, trickle their body, reset the connection, send a
 * 10 MB body or redirect to themselves: each delivery ends with its attempts recorded (timeout,
 * connection, redirect; the 10 MB answer is a success with its body cut at 4 KiB) while a healthy
 * subscription of the same tenant keeps receiving promptly.
 */
describe('Hostile subscribers (fault)', () => {
  let stack: Stack;
  let db: Client;
  let hostile: HostileSubscriber;
  let tenant: Tenant;
  const webhooks = new Map<HostileBehaviour, string>();

  beforeAll(async () => {
    db = await openDatabase();
    hostile = await new HostileSubscriber(3 * TIMEOUT_MS).start();
    stack = await startStack({ name: 'hostile', workers: 1 });
    tenant = await createTenant(stack.baseUrl);
    for (const behaviour of ['ok', ...Object.keys(EXPECTED)] as HostileBehaviour[]) {
      const webhook = await mustPost(
        stack.baseUrl,
        tenant,
        '/api/v1/webhooks',
        { name: behaviour, url: hostile.url(behaviour), events: ['hostile.ping'], timeout_ms: TIMEOUT_MS },
        201,
      );
      webhooks.set(behaviour, webhook.webhook_id);
    }
  });

  afterAll(async () => {
    await stack?.stop();
    await hostile?.stop();
    await db?.end();
  });

  it('records a failed attempt for each misbehaving subscriber and keeps delivering to the healthy one', async () => {
    const published: { eventId: string; at: number }[] = [];
    for (let i = 0; i < EVENTS; i += 1) {
      const data = await mustPost(
        stack.baseUrl,
        tenant,
        '/api/v1/events',
        { event_type: 'hostile.ping', data: { i } },
        202,
      );
      expect(data.matched_webhooks).toBe(webhooks.size);
      published.push({ eventId: data.event_id, at: Date.now() });
      await sleep(300);
    }

    // the healthy subscriber got every event once, each within a few seconds of its publication,
    // while the hostile ones held connections open
    await eventually(async () => (hostile.count('ok') >= EVENTS ? true : undefined), 20_000, 'healthy deliveries');
    // an attempt is recorded just after its answer arrives: wait for the last records too
    const healthy = await eventually(
      async () => {
        const rows = await db.query<{ event_id: string; status: string; attempt_count: number; lag_ms: number }>(
          `SELECT d.event_id, d.status, d.attempt_count,
                  (extract(epoch FROM (a.created_at - e.created_at)) * 1000)::int AS lag_ms
           FROM deliveries d JOIN events e ON e.id = d.event_id
           JOIN delivery_attempts a ON a.delivery_id = d.id AND a.attempt_number = 1
           WHERE d.subscription_id = $1`,
          [webhooks.get('ok')],
        );
        return rows.rows.length >= EVENTS ? rows : undefined;
      },
      10_000,
      'healthy attempts recorded',
    );
    expect(healthy.rows).toHaveLength(EVENTS);
    for (const row of healthy.rows) expect(row).toMatchObject({ status: 'success', attempt_count: 1 });
    expect(Math.max(...healthy.rows.map((r) => r.lag_ms))).toBeLessThan(5_000);

    // every hostile delivery ends as expected, with every attempt recorded
    const ids = [...webhooks.entries()].filter(([b]) => b !== 'ok').map(([, id]) => id);
    await eventually(
      async () => {
        const res = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM deliveries WHERE subscription_id = ANY($1) AND status IN ('dead', 'success')`,
          [ids],
        );
        return res.rows[0].n === ids.length * EVENTS ? true : undefined;
      },
      45_000,
      'every hostile delivery finished',
    );

    for (const [behaviour, expected] of Object.entries(EXPECTED) as [
      keyof typeof EXPECTED,
      (typeof EXPECTED)['hang'],
    ][]) {
      const webhookId = webhooks.get(behaviour)!;
      const deliveries = await db.query<{ id: string; status: string; attempt_count: number }>(
        'SELECT id, status, attempt_count FROM deliveries WHERE subscription_id = $1',
        [webhookId],
      );
      const attempts = expected.status === 'success' ? 1 : ATTEMPTS;
      expect({ behaviour, rows: deliveries.rows.length }).toEqual({ behaviour, rows: EVENTS });
      for (const d of deliveries.rows) {
        expect({ behaviour, status: d.status, attempts: d.attempt_count }).toEqual({
          behaviour,
          status: expected.status,
          attempts,
        });
      }
      const kinds = await db.query<{ error_kind: string | null; http_status: number | null; n: number }>(
        `SELECT a.error_kind, a.http_status, count(*)::int AS n FROM delivery_attempts a
         JOIN deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1 GROUP BY 1, 2`,
        [webhookId],
      );
      expect({ behaviour, kinds: kinds.rows }).toEqual({
        behaviour,
        kinds: [{ error_kind: expected.kind, http_status: expected.http, n: EVENTS * attempts }],
      });
      // the subscriber saw one request per attempt: redirects are not followed
      expect({ behaviour, requests: hostile.count(behaviour) }).toEqual({ behaviour, requests: EVENTS * attempts });

      // and the delivery log API tells the same, timed within the timeout
      const detail = await call(stack.baseUrl, 'GET', `/api/v1/webhooks/deliveries/${deliveries.rows[0].id}`, {
        headers: tenant.auth,
      });
      expect(detail.status).toBe(200);
      for (const attempt of detail.json.data.attempts) {
        expect(attempt).toMatchObject({ success: expected.status === 'success', error_kind: expected.kind });
        if (expected.kind === 'timeout') expect(attempt.response_time_ms).toBeLessThan(TIMEOUT_MS + 1500);
        if (behaviour === 'big') {
          expect(attempt.response.body).toHaveLength(4096);
          expect(attempt.response.body).toMatch(/^x+$/);
        }
      }
    }

    // nothing is left hanging: the worker closed every connection the server never finished answering
    await eventually(async () => (hostile.openStuckSockets() === 0 ? true : undefined), 15_000, 'stuck sockets closed');
    process.stdout.write(
      `hostile subscribers: healthy lag max ${Math.max(...healthy.rows.map((r) => r.lag_ms))} ms; ` +
        `10 MB body bytes written before the client went away: ${JSON.stringify(hostile.bigBytesWritten.slice(0, 5))}\n`,
    );
    expect(published).toHaveLength(EVENTS);
  });
});
