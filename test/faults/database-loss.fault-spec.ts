import { Client } from 'pg';
import {
  call,
  createTenant,
  eventually,
  forEachLimit,
  isErrorEnvelope,
  mustPost,
  openDatabase,
  signedHeaders,
  sleep,
  Stack,
  startStack,
  statusCounts,
  Tenant,
  terminateAppConnections,
} from './helpers';

interface Answer {
  key: string;
  status: number;
  code?: string;
  id?: string;
  envelope: boolean;
  retryAfter: string | null;
  error?: string;
}

/**
 * PostgreSQL drops the app's connections (pg_terminate_backend) several times while ingest traffic
 * goes on: ingest answers 202 only for rows it stored, 503 SERVICE_UNAVAILABLE (never 500) while
 * it cannot store, and 202 again by itself afterwards.
 */
describe('PostgreSQL connections terminated mid-ingest (fault)', () => {
  let stack: Stack;
  let db: Client;
  let tenant: Tenant;
  let signedSource: { id: string; secret: string };
  let openSource: string;
  const answers: Answer[] = [];

  beforeAll(async () => {
    db = await openDatabase();
    stack = await startStack({ name: 'dbloss', workers: 1 });
    tenant = await createTenant(stack.baseUrl);
    const secret = 'db-loss-source-secret-0123';
    const signed = await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/sources',
      { name: 'signed', provider: 'generic', verification: { scheme: 'hmac-sha256', secret } },
      201,
    );
    signedSource = { id: signed.source_id, secret };
    const open = await mustPost(
      stack.baseUrl,
      tenant,
      '/api/v1/sources',
      { name: 'open', provider: 'generic', verification: { scheme: 'none' } },
      201,
    );
    openSource = open.source_id;
  });

  afterAll(async () => {
    await stack?.stop();
    await db?.end();
  });

  /** One ingest request; alternates the signed and the `none` source. */
  async function ingest(key: string, signed: boolean): Promise<Answer> {
    const body = JSON.stringify({ event_type: 'fault.dbloss', event_id: key, sent_at: Date.now() });
    const sourceId = signed ? signedSource.id : openSource;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(signed ? signedHeaders(body, signedSource.secret) : {}),
    };
    try {
      const res = await call(stack.baseUrl, 'POST', `/api/v1/ingest/${sourceId}`, { headers, body, timeoutMs: 20_000 });
      return {
        key,
        status: res.status,
        code: res.json?.error?.code,
        id: res.json?.data?.webhook_event_id,
        envelope: res.status >= 400 ? isErrorEnvelope(res.json) : res.json?.data !== undefined,
        retryAfter: res.headers.get('retry-after'),
      };
    } catch (error) {
      return { key, status: 0, envelope: false, retryAfter: null, error: (error as Error).message };
    }
  }

  it('answers 202 only for stored rows and 503 (not 500) while the database is gone', async () => {
    let stop = false;
    let sent = 0;
    const lanes = Array.from({ length: 10 }, (_, lane) => lane);
    const traffic = forEachLimit(lanes, lanes.length, async (lane) => {
      while (!stop) {
        const key = `dbloss-${lane}-${sent++}`;
        // like a provider: resend the same event after a failure until it is taken
        for (let attempt = 0; attempt < 40; attempt += 1) {
          const answer = await ingest(key, lane % 2 === 0);
          answers.push(answer);
          if (answer.status === 202 || answer.status === 200) break;
          await sleep(100);
        }
      }
    });

    const terminated: number[] = [];
    await sleep(1500);
    for (let round = 0; round < 4; round += 1) {
      terminated.push(await terminateAppConnections(db));
      await sleep(300);
      terminated.push(await terminateAppConnections(db));
      await sleep(1700);
    }
    stop = true;
    await traffic;

    // the app had connections to lose each time
    expect(terminated.filter((n) => n > 0).length).toBeGreaterThanOrEqual(4);

    const byStatus = answers.reduce<Record<string, number>>((all, a) => {
      const label = a.status === 0 ? `network error` : `${a.status} ${a.code ?? ''}`.trim();
      return { ...all, [label]: (all[label] ?? 0) + 1 };
    }, {});
    process.stdout.write(
      `database loss: terminated ${JSON.stringify(terminated)}; answers ${JSON.stringify(byStatus)}\n`,
    );

    // ingest answers 202 again by itself
    const after = await eventually(
      async () => {
        const answer = await ingest(`dbloss-after-${Date.now()}`, true);
        return answer.status === 202 ? answer : undefined;
      },
      15_000,
      'a 202 after the terminations',
    );
    expect((await db.query('SELECT 1 FROM inbound_events WHERE id = $1', [after.id])).rowCount).toBe(1);

    // nothing but accepted, duplicate (a resend of an event stored before its 503) or 503 in the envelope
    const wrong = answers.filter(
      (a) =>
        !(
          (a.status === 202 && a.id) ||
          (a.status === 200 && a.id) ||
          (a.status === 503 && a.code === 'SERVICE_UNAVAILABLE' && a.envelope && a.retryAfter !== null)
        ),
    );

    // every 202 names a stored row holding its event, and every event ended stored exactly once
    const rows = await db.query<{ id: string; dedup_key: string }>(
      'SELECT id, dedup_key FROM inbound_events WHERE source_id = ANY($1)',
      [[signedSource.id, openSource]],
    );
    const stored = new Map(rows.rows.map((r) => [r.id, r.dedup_key]));
    const accepted = answers.filter((a) => a.status === 202 || a.status === 200);
    const acceptedKeys = new Set(accepted.map((a) => a.key));
    const storedKeys = new Set(rows.rows.map((r) => r.dedup_key));
    expect({
      wrongAnswers: wrong.length,
      wrongExamples: wrong.slice(0, 3),
      acceptedButNotStored: accepted.filter((a) => stored.get(a.id!) !== a.key),
      storedTwice: rows.rows.length - storedKeys.size,
      // resending got every event taken in the end
      neverAccepted: [...new Set(answers.map((a) => a.key))].filter((k) => !acceptedKeys.has(k)),
    }).toEqual({ wrongAnswers: 0, wrongExamples: [], acceptedButNotStored: [], storedTwice: 0, neverAccepted: [] });
  });

  it('processes every stored event once the database is back', async () => {
    const sources = [signedSource.id, openSource];
    await eventually(
      async () => {
        const counts = await statusCounts(
          db,
          'SELECT status, count(*) AS n FROM inbound_events WHERE source_id = ANY($1) GROUP BY status',
          [sources],
        );
        return Object.keys(counts).every((s) => s === 'completed') ? true : undefined;
      },
      60_000,
      'every inbound event completed',
    ).catch(async (error: Error) => {
      const counts = await statusCounts(
        db,
        'SELECT status, count(*) AS n FROM inbound_events WHERE source_id = ANY($1) GROUP BY status',
        [sources],
      );
      throw new Error(`${error.message}: ${JSON.stringify(counts)}`);
    });
  });
});
