/**
 * Bound "durable send": the least a sender that keeps a durable delivery log can do. COUNT queued
 * deliveries are seeded in PostgreSQL (one INSERT … SELECT generate_series, before the clock
 * starts); then one process claims them a page at a time, sends each as a signed POST to the same
 * local receiver, and records each attempt with its request and response, like raw-send.ts in every
 * other respect: the same envelope, Hookhub's own signing code (both signature schemes), an undici
 * Agent with 32 keep-alive connections, CONCURRENCY sends in flight (DELIVERY_CONCURRENCY, default 50).
 *
 * - Claim: one statement per page of up to CONCURRENCY due rows, `UPDATE … SET status = 'sending'`
 *   with a lease, on the rows of a `SELECT … FOR UPDATE SKIP LOCKED LIMIT n` through the due index,
 *   rechecked and RETURNING them. The next page is claimed while the sends of the last one run, so
 *   CONCURRENCY sends stay in flight throughout.
 * - Record: group commit, one write under way at a time; the attempts that finish while it runs go
 *   into the next, one statement that inserts their attempt rows (multi-row INSERT) and moves their
 *   deliveries to `success` from its RETURNING. A send does not wait for its record to commit.
 *
 * Its tables have only what that needs: the deliveries (primary key, a partial due index) and the
 * attempts (primary key, unique (delivery_id, attempt_number)); they are created at the start and
 * dropped at the end. No tenants, no queue, no subscription or event to read, no stats, no retries:
 * strictly less than a Hookhub worker does per delivery.
 *
 * The clock runs from the first claim until the last record has committed. Afterwards every
 * delivery must be `success` with exactly one attempt row, else it exits with an error.
 *
 * Env: URL, COUNT, CONCURRENCY, SECRET, DATABASE_URL. Prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Agent, request } from 'undici';
import { signatureHeaders } from '../../src/common/signing';

const DELIVERIES = 'bench_durable_deliveries';
const ATTEMPTS = 'bench_durable_attempts';
/** How long a claim holds a delivery (a crashed sender's deliveries come due again after it). */
const LEASE_MS = 30_000;
/** Attempts recorded at most in one statement (10 parameters each, well under PostgreSQL's 65,535). */
const MAX_WRITE = 1000;

const SCHEMA = [
  `DROP TABLE IF EXISTS ${ATTEMPTS}, ${DELIVERIES}`,
  `CREATE TABLE ${DELIVERIES} (
     id text PRIMARY KEY,
     status text NOT NULL,
     attempt_count int NOT NULL DEFAULT 0,
     next_attempt_at timestamptz,
     updated_at timestamptz NOT NULL DEFAULT now(),
     completed_at timestamptz,
     last_http_status int
   )`,
  `CREATE INDEX ${DELIVERIES}_due ON ${DELIVERIES} (next_attempt_at) WHERE status IN ('queued', 'sending')`,
  `CREATE TABLE ${ATTEMPTS} (
     id text PRIMARY KEY,
     delivery_id text NOT NULL,
     attempt_number int NOT NULL,
     http_status int,
     response_time_ms int NOT NULL,
     request_headers jsonb NOT NULL,
     request_body text NOT NULL,
     response_headers jsonb NOT NULL,
     response_body text,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (delivery_id, attempt_number)
   )`,
];

/** Up to $1 due deliveries, `sending` for a lease of $2 ms; the lock is taken first, the condition rechecked. */
const CLAIM = `UPDATE ${DELIVERIES} SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond',
    updated_at = now()
  WHERE id IN (
      SELECT id FROM ${DELIVERIES}
      WHERE status IN ('queued', 'sending') AND next_attempt_at <= now()
      ORDER BY next_attempt_at LIMIT $1
      FOR UPDATE SKIP LOCKED)
    AND status IN ('queued', 'sending') AND next_attempt_at <= now()
  RETURNING id, attempt_count`;

const ATTEMPT_COLUMNS = [
  'id',
  'delivery_id',
  'attempt_number',
  'http_status',
  'response_time_ms',
  'request_headers',
  'request_body',
  'response_headers',
  'response_body',
];

interface Claimed {
  id: string;
  attempt_count: number;
}

interface Attempt {
  deliveryId: string;
  attemptNumber: number;
  httpStatus: number | null;
  responseTimeMs: number;
  requestHeaders: Record<string, string>;
  requestBody: string;
  responseHeaders: Record<string, string | string[] | undefined>;
  responseBody: string | null;
}

/** One statement: the attempts' rows, and their deliveries ended from its RETURNING (`success` on a 2xx). */
function recordStatement(attempts: Attempt[]): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const rows: string[] = [];
  for (const a of attempts) {
    const at = values.length;
    values.push(
      `att_${a.deliveryId}_${a.attemptNumber}`,
      a.deliveryId,
      a.attemptNumber,
      a.httpStatus,
      a.responseTimeMs,
      JSON.stringify(a.requestHeaders),
      a.requestBody,
      JSON.stringify(a.responseHeaders),
      a.responseBody,
    );
    rows.push(`(${ATTEMPT_COLUMNS.map((_, c) => `$${at + c + 1}`).join(', ')})`);
  }
  const sql = `WITH a AS (
      INSERT INTO ${ATTEMPTS} (${ATTEMPT_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}
      RETURNING delivery_id, attempt_number, http_status
    )
    UPDATE ${DELIVERIES} d SET status = CASE WHEN a.http_status BETWEEN 200 AND 299 THEN 'success' ELSE 'dead' END,
      attempt_count = a.attempt_number, last_http_status = a.http_status, next_attempt_at = NULL,
      completed_at = now(), updated_at = now()
    FROM a WHERE d.id = a.delivery_id AND d.status = 'sending'`;
  return { sql, values };
}

async function main(): Promise<void> {
  const url = process.env.URL ?? 'http://127.0.0.1:4000/durable';
  const count = Number(process.env.COUNT ?? 20_000);
  const concurrency = Number(process.env.CONCURRENCY ?? 50);
  const secret = process.env.SECRET ?? `whsec_${randomBytes(32).toString('base64')}`;
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is required');
  // one connection claims, one records: each has at most one statement under way
  const claimer = new Client({ connectionString });
  const writer = new Client({ connectionString });
  await Promise.all([claimer.connect(), writer.connect()]);
  const agent = new Agent({ connections: 32, keepAliveTimeout: 30_000 });

  for (const statement of SCHEMA) await claimer.query(statement);
  await claimer.query(
    `INSERT INTO ${DELIVERIES} (id, status, next_attempt_at)
     SELECT 'dlv_durable' || i, 'queued', now() FROM generate_series(1, $1::int) i`,
    [count],
  );
  await claimer.query(`VACUUM ANALYZE ${DELIVERIES}`);

  let failure: Error | undefined;
  const fail = (error: Error): void => {
    failure ??= error;
  };

  // Group commit: what finishes while a write is under way goes into the next one.
  const finished: Attempt[] = [];
  let writing: Promise<void> | undefined;
  let writes = 0;
  const flush = async (): Promise<void> => {
    while (finished.length > 0 && !failure) {
      const { sql, values } = recordStatement(finished.splice(0, MAX_WRITE));
      await writer.query(sql, values);
      writes += 1;
    }
  };
  const record = (attempt: Attempt): void => {
    finished.push(attempt);
    writing ??= flush()
      .catch(fail)
      .finally(() => (writing = undefined));
  };

  // Claims: a page whenever fewer than CONCURRENCY claimed deliveries wait to be sent.
  const ready: Claimed[] = [];
  let exhausted = false;
  let claims = 0;
  let wantMore: (() => void) | undefined;
  let waiting: (() => void)[] = [];
  const wakeSenders = (): void => {
    const wake = waiting;
    waiting = [];
    for (const w of wake) w();
  };
  const claimLoop = async (): Promise<void> => {
    try {
      while (!exhausted && !failure) {
        if (ready.length >= concurrency) {
          await new Promise<void>((resolve) => (wantMore = resolve));
          continue;
        }
        const { rows } = await claimer.query<Claimed>(CLAIM, [concurrency, LEASE_MS]);
        claims += 1;
        if (rows.length === 0) exhausted = true;
        ready.push(...rows);
        wakeSenders();
      }
    } catch (error) {
      fail(error as Error);
    } finally {
      exhausted = true;
      wakeSenders();
    }
  };

  let errors = 0;
  const send = async (delivery: Claimed): Promise<void> => {
    const attemptNumber = delivery.attempt_count + 1;
    const eventId = `evt_${delivery.id}`;
    const body = JSON.stringify({
      webhook_id: 'wh_durable',
      event_id: eventId,
      event_type: 'drain.item',
      timestamp: new Date().toISOString(),
      delivery_attempt: attemptNumber,
      data: { seq: delivery.id, amount: '1500.00' },
      metadata: {},
    });
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Hookhub-bench',
      'X-Webhook-ID': 'wh_durable',
      'X-Webhook-Event': 'drain.item',
      'X-Event-ID': eventId,
      'X-Delivery-ID': delivery.id,
      'X-Delivery-Attempt': String(attemptNumber),
      ...signatureHeaders({ secrets: [secret], eventId, timestamp: Math.floor(Date.now() / 1000), body }),
    };
    const sentAt = performance.now();
    let httpStatus: number | null = null;
    let responseHeaders: Attempt['responseHeaders'] = {};
    let responseBody: string | null = null;
    try {
      const res = await request(url, { method: 'POST', headers, body, dispatcher: agent, headersTimeout: 10_000 });
      responseBody = await res.body.text();
      httpStatus = res.statusCode;
      responseHeaders = res.headers;
    } catch {
      // recorded as an attempt without an answer
    }
    if (httpStatus === null || httpStatus < 200 || httpStatus >= 300) errors += 1;
    record({
      deliveryId: delivery.id,
      attemptNumber,
      httpStatus,
      responseTimeMs: Math.round(performance.now() - sentAt),
      requestHeaders: headers,
      requestBody: body,
      responseHeaders,
      responseBody,
    });
  };
  const sender = async (): Promise<void> => {
    for (;;) {
      if (failure) return;
      const delivery = ready.shift();
      if (delivery) {
        if (ready.length < concurrency) wantMore?.();
        await send(delivery);
        continue;
      }
      if (exhausted) return;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };

  const started = performance.now();
  await Promise.all([claimLoop(), ...Array.from({ length: concurrency }, sender)]);
  while (writing) await writing;
  const elapsedMs = performance.now() - started;
  await agent.close();
  if (failure) throw failure;

  const {
    rows: [check],
  } = await claimer.query<{ success: number; attempts: number }>(
    `SELECT (SELECT count(*)::int FROM ${DELIVERIES} WHERE status = 'success') AS success,
            (SELECT count(*)::int FROM ${ATTEMPTS}) AS attempts`,
  );
  await claimer.query(`DROP TABLE ${ATTEMPTS}, ${DELIVERIES}`);
  await Promise.all([claimer.end(), writer.end()]);
  if (check.attempts !== count || check.success !== count - errors) {
    throw new Error(`${check.attempts} attempts recorded and ${check.success} deliveries success, of ${count}`);
  }
  process.stdout.write(
    `${JSON.stringify({
      count,
      concurrency,
      errors,
      elapsedMs,
      perSecond: (count / elapsedMs) * 1000,
      claims,
      writes,
      attemptsPerWrite: count / writes,
    })}\n`,
  );
}

main().catch((error: Error) => {
  process.stderr.write(`durable-send: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
