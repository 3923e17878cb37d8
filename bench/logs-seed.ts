/**
 * Seeds the delivery and event logs of the `logs` scenario straight into PostgreSQL with
 * `INSERT … SELECT FROM generate_series` (no HTTP, no queue): events, their deliveries (each event
 * fanned out to a few subscriptions of its tenant) and, for a share of the deliveries, their last
 * attempt with the request body sent. Rows look like Hookhub's own: prefixed lower-case ULIDs whose
 * time part is the row's created_at, the statuses and counters a delivery has in each state, the
 * envelope as the request body. Queued and retrying deliveries are due in 30 days, so the worker
 * and its sweeper leave them alone during the measurement.
 */
import type { Client } from 'pg';

export interface LogsTenant {
  id: string;
  subscriptionIds: string[];
  sourceIds: string[];
}

export interface LogsSeed {
  tenants: LogsTenant[];
  deliveries: number;
  /** Deliveries per event (each to another subscription of the event's tenant). */
  fanOut: number;
  /** One delivery in `attemptEvery` that was attempted gets its last attempt row. */
  attemptEvery: number;
  /** The rows span this many days before now, oldest first. */
  days: number;
}

export interface SeedTimings {
  eventsMs: number;
  deliveriesMs: number;
  attemptsMs: number;
  analyzeMs: number;
  events: number;
  deliveries: number;
  attempts: number;
}

/** Event types of the seed with their weights; `deal.*` is about a third of them. */
export const SEED_EVENT_TYPES: [string, number][] = [
  ['deal.won', 8],
  ['deal.lost', 6],
  ['deal.updated', 20],
  ['lead.created', 15],
  ['lead.status_changed', 20],
  ['contact.created', 10],
  ['contact.updated', 10],
  ['task.created', 6],
  ['record.created', 4],
  ['message.received', 1],
];

/** Customer names in the event data; the rare one is in one event in 9,973, for the text searches. */
export const SEED_COMMON_NAME = 'Jane Doe';
export const SEED_RARE_NAME = 'Quintessa Vandermolen';
const NAMES = [SEED_COMMON_NAME, 'John Smith', 'Maria Garcia', 'Wei Zhang', 'Aisha Khan', 'Olga Petrova'];

/** The event data as Hookhub stores and sends it (compact JSON), from the columns g and customer. */
const DATA_SQL = `format('{"deal_id":%s,"title":"Deal #%s","amount":"%s.00","currency":"EUR","customer":{"name":"%s","email":"%s@example.com","phone":"+49 30 %s"}}',
  g, g, g % 9000 + 100, customer, lower(replace(customer, ' ', '.')), 1000000 + g % 8999999)`;

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** SQL text of `chars` Crockford base32 characters (lower case) of the bigint SQL expression `n`. */
function base32Sql(n: string, chars: number): string {
  return Array.from(
    { length: chars },
    (_, i) => `substr('${CROCKFORD}', (((${n}) >> ${5 * (chars - 1 - i)}) & 31)::int + 1, 1)`,
  ).join(' || ');
}

/** SQL text of a Hookhub id (`prefix_` + 26 characters, ULID layout) for a timestamptz and a unique bigint. */
export function idSql(prefix: string, at: string, unique: string): string {
  const ms = `(extract(epoch FROM ${at}) * 1000)::bigint`;
  return `'${prefix}_' || ${base32Sql(ms, 10)} || '0000' || ${base32Sql(unique, 12)}`;
}

/** SQL text picking an event type for the integer expression `n` with the weights above. */
function eventTypeSql(n: string): string {
  const total = SEED_EVENT_TYPES.reduce((sum, [, w]) => sum + w, 0);
  let upTo = 0;
  const cases = SEED_EVENT_TYPES.map(([type, weight]) => {
    upTo += weight;
    return `WHEN (${n}) % ${total} < ${upTo} THEN '${type}'`;
  });
  return `CASE ${cases.join(' ')} END`;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Seeds the logs; the caller's client should be alone on the database. */
export async function seedLogs(db: Client, seed: LogsSeed): Promise<SeedTimings> {
  const events = Math.ceil(seed.deliveries / seed.fanOut);
  const tenants = JSON.stringify(seed.tenants.map((t) => ({ id: t.id, subs: t.subscriptionIds, srcs: t.sourceIds })));
  await db.query('BEGIN');
  try {
    // a seed, not traffic: skip the per-row foreign-key triggers (the rows are consistent by construction)
    await db.query(`SET LOCAL session_replication_role = replica`).catch(() => undefined);
    await db.query(`SET LOCAL synchronous_commit = off`);
    await db.query(`SET LOCAL maintenance_work_mem = '256MB'`);
    await db.query(`SET LOCAL work_mem = '64MB'`);
    await db.query(
      `CREATE TEMP TABLE seed_tenants ON COMMIT DROP AS
       SELECT (ordinality - 1)::int AS n, t.id, t.subs, t.srcs
       FROM ROWS FROM (json_to_recordset($1::json) AS (id text, subs text[], srcs text[])) WITH ORDINALITY AS t`,
      [tenants],
    );
    const eventsMs = await timed(() => insertEvents(db, events, seed));
    const deliveriesMs = await timed(() => insertDeliveries(db, seed));
    const attemptsMs = await timed(() => insertAttempts(db, seed));
    await db.query('COMMIT');
    const analyzeMs = await timed(() => db.query('VACUUM (ANALYZE) events, deliveries, delivery_attempts'));
    const counts = await db.query<{ e: string; d: string; a: string }>(
      `SELECT (SELECT count(*) FROM events) AS e, (SELECT count(*) FROM deliveries) AS d,
              (SELECT count(*) FROM delivery_attempts) AS a`,
    );
    const c = counts.rows[0];
    return {
      eventsMs,
      deliveriesMs,
      attemptsMs,
      analyzeMs,
      events: Number(c.e),
      deliveries: Number(c.d),
      attempts: Number(c.a),
    };
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Event g (1…events) belongs to tenant g % tenants and is created at an even step through the
 * span; half of them come from one of the tenant's sources (`source: inbound`), three in five are
 * about an entity.
 */
async function insertEvents(db: Client, events: number, seed: LogsSeed): Promise<void> {
  const names = `(ARRAY[${NAMES.map((n) => `'${n}'`).join(', ')}])`;
  await db.query(
    `CREATE TEMP TABLE seed_events ON COMMIT DROP AS
     SELECT e.*, ${idSql('evt', 'e.created_at', 'e.g')} AS id FROM (
     SELECT g, t.id AS tenant_id, t.subs, t.srcs,
            now() - make_interval(secs => ($1::float8 - g) * $2::float8) AS created_at,
            ${eventTypeSql('(g::bigint * 7919) % 1000003')} AS event_type,
            CASE WHEN (g / 4) % 2 = 0 THEN t.srcs[1 + (g / 8) % cardinality(t.srcs)] END AS source_id,
            CASE WHEN g % 5 < 3 THEN 'crm:acme:deal:' || (g % 20000) END AS entity_key,
            CASE WHEN g % 9973 = 77 THEN '${SEED_RARE_NAME}' ELSE ${names}[1 + (g / 7) % ${NAMES.length}] END AS customer
     FROM generate_series(1, $1::int) AS g
     JOIN seed_tenants t ON t.n = g % (SELECT count(*) FROM seed_tenants)) e`,
    [events, (seed.days * 86_400) / events],
  );
  await db.query(`ANALYZE seed_events`);
  await db.query(
    `INSERT INTO events (id, tenant_id, event_type, data, metadata, source, entity_key, trace_id, inbound_event_id,
                         source_id, created_at)
     SELECT id, tenant_id, event_type,
            ${DATA_SQL}::json,
            CASE WHEN source_id IS NULL THEN '{}'::jsonb
                 ELSE jsonb_build_object('source_id', source_id, 'provider', 'generic') END,
            CASE WHEN source_id IS NULL THEN 'api' ELSE 'inbound' END,
            entity_key, md5(g::text),
            CASE WHEN source_id IS NULL THEN NULL ELSE ${idSql('in', 'created_at', 'g')} END,
            source_id, created_at
     FROM seed_events`,
  );
}

/** Delivery d (1…deliveries) is the (d % fanOut)-th of event ⌈d / fanOut⌉, to another subscription of its tenant. */
async function insertDeliveries(db: Client, seed: LogsSeed): Promise<void> {
  await db.query(
    `CREATE TEMP TABLE seed_deliveries ON COMMIT DROP AS
     SELECT s.*,
            CASE s.status WHEN 'success' THEN 1 + (s.d % 17 = 0)::int WHEN 'retrying' THEN 3 WHEN 'dead' THEN 8 ELSE 0
              END AS attempt_count,
            CASE s.status WHEN 'success' THEN 200 WHEN 'retrying' THEN 503
              WHEN 'dead' THEN (ARRAY[500, 502, 404])[1 + s.d % 3] END AS http_status
     FROM (SELECT d, e.g, e.tenant_id, e.created_at, e.event_type, e.entity_key, e.customer, e.id AS event_id,
                  ${idSql('dlv', 'e.created_at', 'd')} AS id,
                  e.subs[1 + (e.g + d % $2) % cardinality(e.subs)] AS subscription_id,
                  CASE WHEN (d * 31) % 100 < 88 THEN 'success' WHEN (d * 31) % 100 < 90 THEN 'retrying'
                       WHEN (d * 31) % 100 < 96 THEN 'dead' WHEN (d * 31) % 100 < 98 THEN 'cancelled'
                       ELSE 'queued' END AS status
           FROM generate_series(1, $1::int) AS d
           JOIN seed_events e ON e.g = (d + $2 - 1) / $2) s`,
    [seed.deliveries, seed.fanOut],
  );
  await db.query(`ANALYZE seed_deliveries`);
  await db.query(
    `INSERT INTO deliveries (id, tenant_id, subscription_id, event_id, event_type, entity_key, status, attempt_count,
                             next_attempt_at, last_attempt_at, last_http_status, last_error, trace_id, completed_at,
                             created_at, updated_at)
     SELECT id, tenant_id, subscription_id, event_id, event_type, entity_key, status, attempt_count,
            CASE WHEN status IN ('queued', 'retrying') THEN now() + interval '30 days' END,
            CASE WHEN attempt_count > 0 THEN created_at + interval '40 ms' END,
            http_status,
            CASE WHEN status IN ('retrying', 'dead') THEN 'the endpoint answered an HTTP error status' END,
            md5(g::text),
            CASE WHEN status IN ('success', 'dead', 'cancelled') THEN created_at + interval '40 ms' END,
            created_at, created_at
     FROM seed_deliveries`,
  );
}

/** The last attempt of one attempted delivery in `attemptEvery`, with the envelope as its request body. */
async function insertAttempts(db: Client, seed: LogsSeed): Promise<void> {
  await db.query(
    `INSERT INTO delivery_attempts (id, delivery_id, tenant_id, attempt_number, success, http_status, response_time_ms,
                                    error, error_kind, request_url, request_headers, request_body, response_headers,
                                    response_body, created_at)
     SELECT ${idSql('att', 'created_at', 'd')}, id, tenant_id, attempt_count, status = 'success', http_status,
            20 + d % 180,
            CASE WHEN status = 'success' THEN NULL ELSE 'the endpoint answered an HTTP error status' END,
            CASE WHEN status = 'success' THEN NULL ELSE 'http_status' END,
            'https://hooks.example.com/' || subscription_id,
            jsonb_build_object('content-type', 'application/json', 'x-delivery-id', id),
            format('{"webhook_id":"%s","event_id":"%s","event_type":"%s","timestamp":"%s","delivery_attempt":%s,"data":%s}',
              subscription_id, event_id, event_type, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              attempt_count, ${DATA_SQL}),
            '{}'::jsonb, CASE WHEN status = 'success' THEN 'ok' ELSE 'upstream error' END,
            created_at + interval '40 ms'
     FROM seed_deliveries
     WHERE attempt_count > 0 AND d % $1 = 0`,
    [seed.attemptEvery],
  );
}
