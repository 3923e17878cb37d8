import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { deleteInBatches } from '../database/batched-delete';
import { EntityColumns, entityColumns } from '../database/raw-rows';
import type { Queryable, SweptRow } from '../work/work-kind';
import type { DeliveryAttempt } from './delivery-attempt.entity';
import {
  afterCondition,
  DeliveryLogFilter,
  filterConditions,
  matchingDeliveriesSql,
  orderBySql,
  SqlParams,
} from './delivery-log-query';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { keysetAtSql, KeysetPosition } from '../common/pagination';

/** Where a delivery's job leads: its subscription and event, read before claiming it. */
export interface DeliveryRoute {
  id: string;
  subscriptionId: string;
  eventId: string;
}

/** A delivery as the batch path first reads it, before asking for its subscription's batch settings. */
export interface DeliveryBatchRow {
  id: string;
  subscription_id: string;
  status: string;
  batch_id: string | null;
  created_at: Date;
}

/** The statuses in which a delivery is still on its way (an ordered subscription's later events wait for it). */
const ON_ITS_WAY = `('queued', 'sending', 'retrying')`;

/**
 * The deliveries to form a batch of, locked: the oldest `queued` ones of the subscription that are in
 * no batch, at most $2, skipping rows another former holds. On an ordered subscription ($4) a delivery
 * is left out while an earlier one of its entity_key is in a batch or on its way alone.
 */
const CANDIDATES = `SELECT w.id, w.entity_key, w.created_at FROM deliveries w
  WHERE w.subscription_id = $1 AND w.status = 'queued' AND w.batch_id IS NULL
    AND NOT ($4 AND w.entity_key IS NOT NULL AND EXISTS (
      SELECT 1 FROM deliveries e
      WHERE e.subscription_id = w.subscription_id AND e.entity_key = w.entity_key
        AND (e.created_at, e.id) < (w.created_at, w.id)
        AND (e.status IN ('sending', 'retrying') OR (e.status = 'queued' AND e.batch_id IS NOT NULL))))
  ORDER BY w.created_at, w.id
  LIMIT $2
  FOR NO KEY UPDATE SKIP LOCKED`;

/**
 * The candidates that may go: on an ordered subscription, not one whose earlier delivery of the same
 * entity_key is still on its way outside this batch (held by a concurrent former, say).
 */
const MEMBERS = `SELECT c.id, c.created_at FROM candidates c
  WHERE NOT ($4 AND c.entity_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM deliveries e
    WHERE e.subscription_id = $1 AND e.entity_key = c.entity_key
      AND (e.created_at, e.id) < (c.created_at, c.id) AND e.status IN ${ON_ITS_WAY}
      AND e.id NOT IN (SELECT id FROM candidates)))`;

/** A finished delivery not retried yet: no delivery sends it again already. */
const NOT_RETRIED = 'NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.original_delivery_id = d.id)';

const ATTEMPT_COLUMNS = [
  'id',
  'delivery_id',
  'tenant_id',
  'attempt_number',
  'success',
  'http_status',
  'response_time_ms',
  'error',
  'error_kind',
  'request_url',
  'request_headers',
  'request_body',
  'response_headers',
  'response_body',
];

/** Placeholders `($n, $n+1, …), (…)` after `offset` parameters, for `rows` rows with a cast (or '') per column. */
function placeholders(rows: number, casts: string[], offset: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r += 1) {
    out.push(`(${casts.map((cast, c) => `$${offset + r * casts.length + c + 1}${cast}`).join(', ')})`);
  }
  return out.join(', ');
}

/**
 * One statement inserting the attempts and updating their deliveries (each attempt with its delivery
 * in its new state; `created_at` is the transaction's now()).
 */
function recordStatement(records: { attempt: DeliveryAttempt; delivery: Delivery }[]): {
  sql: string;
  values: unknown[];
} {
  const values: unknown[] = [];
  for (const { attempt: a } of records) {
    values.push(
      a.id,
      a.deliveryId,
      a.tenantId,
      a.attemptNumber,
      a.success,
      a.httpStatus,
      a.responseTimeMs,
      a.error,
      a.errorKind,
      a.requestUrl,
      JSON.stringify(a.requestHeaders),
      a.requestBody,
      JSON.stringify(a.responseHeaders ?? {}),
      a.responseBody,
    );
  }
  const attemptRows = placeholders(
    records.length,
    ATTEMPT_COLUMNS.map(() => ''),
    0,
  );
  const offset = values.length;
  for (const { delivery: d } of records) {
    values.push(d.id, d.status, d.attemptCount, d.lastAttemptAt, d.lastHttpStatus, d.lastError);
    values.push(d.nextAttemptAt, d.completedAt);
  }
  const casts = ['::text', '::text', '::int', '::timestamptz', '::int', '::text', '::timestamptz', '::timestamptz'];
  const sql = `WITH a AS (
      INSERT INTO delivery_attempts (${ATTEMPT_COLUMNS.join(', ')}) VALUES ${attemptRows}
      RETURNING created_at
    ), u AS (
      UPDATE deliveries d SET status = v.status, attempt_count = v.attempt_count, last_attempt_at = v.last_attempt_at,
        last_http_status = v.last_http_status, last_error = v.last_error, next_attempt_at = v.next_attempt_at,
        completed_at = v.completed_at, release_count = 0, updated_at = now()
      FROM (VALUES ${placeholders(records.length, casts, offset)})
        AS v(id, status, attempt_count, last_attempt_at, last_http_status, last_error, next_attempt_at, completed_at)
      WHERE d.id = v.id
    )
    SELECT created_at FROM a LIMIT 1`;
  return { sql, values };
}

/*
 * The deliveries as leased work (src/work, declared in delivery.work.ts): the sweep and the
 * give-backs the machine and the dispatcher run on the deliveries table.
 */

/** Rows swept: a job's run is the attempt it is for (`<id>:<attempt>`, as the publisher and the retries queue it). */
export const SWEEP_DELIVERIES_SQL = `SELECT id, batch_id, attempt_count + 1 AS run,
    EXTRACT(EPOCH FROM now() - next_attempt_at) * 1000 AS overdue_ms
  FROM deliveries
  WHERE status IN ('queued', 'retrying', 'sending') AND next_attempt_at <= now() - $1 * interval '1 millisecond'
  ORDER BY next_attempt_at LIMIT $2`;

/**
 * Deliveries whose time came `overdueMs` ago or more (queued, retrying, or sending past their
 * lease). A batch's members are claimed together: one row per batch.
 */
export async function sweepDeliveries(db: Queryable, overdueMs: number, limit: number): Promise<SweptRow[]> {
  const due = await db.query<(SweptRow & { batch_id: string | null })[]>(SWEEP_DELIVERIES_SQL, [overdueMs, limit]);
  const seen = new Set<string>();
  return due.filter((r) => r.batch_id === null || (!seen.has(r.batch_id) && seen.add(r.batch_id)));
}

/** Gives claimed deliveries back after an unexpected error: due again in 3 s, `release_count = $2`. */
export function releaseDeliveries(db: Queryable, ids: string[], releases: number): Promise<unknown> {
  return db.query(
    `UPDATE deliveries SET status = CASE WHEN attempt_count = 0 THEN 'queued' ELSE 'retrying' END,
       next_attempt_at = now() + interval '3 seconds', release_count = $2
     WHERE id = ANY($1::text[]) AND status = 'sending'`,
    [ids, releases],
  );
}

/** Ends claimed deliveries `dead` with `reason` when their give-backs are exhausted. */
export function endDeliveries(db: Queryable, ids: string[], releases: number, reason: string): Promise<unknown> {
  return db.query(
    `UPDATE deliveries SET status = 'dead', last_error = $3, next_attempt_at = NULL, completed_at = now(),
       updated_at = now(), release_count = $2
     WHERE id = ANY($1::text[]) AND status = 'sending'`,
    [ids, releases, reason],
  );
}

/**
 * Every statement on deliveries and delivery_attempts (but the tenant's deletion, deliveries.tenant-data.ts):
 * what other features ask for (an event's deliveries, their counts, retention), the claim of
 * deliveries sent alone, the batch statements (DeliveryBatches), the attempt records (AttemptWriter),
 * the delivery log and the bulk retries (built by delivery-log-query.ts, run here), the sweep and
 * give-backs above. A statement here names deliveries and delivery_attempts only: what it needs of a
 * subscription or an event is asked of their repositories and passed in.
 */
@Injectable()
export class DeliveriesRepository {
  private readonly columns: EntityColumns<Delivery>;

  constructor(private readonly dataSource: DataSource) {
    this.columns = entityColumns(dataSource, Delivery, 'd', 'd_');
  }

  /** An event's deliveries, oldest first. */
  ofEvent(tenantId: string, eventId: string): Promise<Delivery[]> {
    return this.dataSource.getRepository(Delivery).find({ where: { eventId, tenantId }, order: { createdAt: 'ASC' } });
  }

  /** An event's deliveries made when it was published (not the copies a retry made), oldest first. */
  originalsOfEvent(tenantId: string, eventId: string): Promise<Delivery[]> {
    return this.dataSource
      .getRepository(Delivery)
      .find({ where: { eventId, tenantId, originalDeliveryId: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** How many deliveries each event has, and how many of them are retrying or dead. */
  async countsByEvent(tenantId: string, eventIds: string[]): Promise<Map<string, { all: number; failed: number }>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ event_id: string; all: number; failed: number }[]>(
      `SELECT event_id, count(*)::int AS "all", (count(*) FILTER (WHERE status IN ('retrying', 'dead')))::int AS failed
       FROM deliveries WHERE tenant_id = $1 AND event_id = ANY($2) GROUP BY event_id`,
      [tenantId, eventIds],
    );
    return new Map(rows.map((r) => [r.event_id, { all: r.all, failed: r.failed }]));
  }

  /** The subscription and event of each delivery among `ids` (one statement for a group of jobs). */
  async routes(ids: readonly string[]): Promise<DeliveryRoute[]> {
    return this.dataSource.query<DeliveryRoute[]>(
      `SELECT id, subscription_id AS "subscriptionId", event_id AS "eventId" FROM deliveries WHERE id = ANY($1::text[])`,
      [ids],
    );
  }

  /**
   * Claims the due deliveries among `ids` that are sent alone, for one attempt each (`sending`, with a
   * lease of `leaseMs`): due (queued or retrying, up to a second early) or a crashed attempt whose
   * lease ran out (taking that one back counts as a give-back: see MAX_RELEASES). Not a batch's
   * member, nor a `queued` one of a subscription in `batched` (it waits to join a batch: see
   * BatchClaims). Answers the claimed rows.
   */
  async claimAlone(ids: readonly string[], leaseMs: number, batched: readonly string[]): Promise<Delivery[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH d AS (
        UPDATE deliveries SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now(),
          release_count = release_count + CASE WHEN status = 'sending' THEN 1 ELSE 0 END
        WHERE id = ANY($1::text[]) AND (
          (status IN ('queued', 'retrying') AND next_attempt_at <= now() + interval '1 second')
          OR (status = 'sending' AND next_attempt_at < now()))
          AND batch_id IS NULL AND NOT (status = 'queued' AND subscription_id = ANY($3::text[]))
        RETURNING *)
      SELECT ${this.columns.select} FROM d`,
      [ids, leaseMs, batched],
    );
    return rows.map((row) => this.columns.read(row)!);
  }

  /** True when an earlier delivery of the same subscription and entity_key is still on its way (ordered endpoints). */
  async earlierOnItsWay(
    delivery: Pick<Delivery, 'id' | 'subscriptionId' | 'entityKey' | 'createdAt'>,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM deliveries
       WHERE subscription_id = $1 AND entity_key = $2 AND status IN ('queued', 'sending', 'retrying')
         AND (created_at, id) < ($3, $4)
       LIMIT 1`,
      [delivery.subscriptionId, delivery.entityKey, delivery.createdAt, delivery.id],
    );
    return rows.length > 0;
  }

  /** Deletes the delivery attempts older than `days`, a batch per statement, with `manager` when given; answers how many. */
  async deleteAttemptsOlderThan(days: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return deleteInBatches(
      manager,
      `DELETE FROM delivery_attempts WHERE id IN (
             SELECT id FROM delivery_attempts WHERE created_at < now() - $1 * interval '1 day' LIMIT $2)`,
      [days],
    );
  }
  /** A delivery as the batch path first reads it; undefined when it is gone. */
  async batchRow(deliveryId: string): Promise<DeliveryBatchRow | undefined> {
    const [row] = await this.dataSource.query<DeliveryBatchRow[]>(
      'SELECT d.id, d.subscription_id, d.status, d.batch_id, d.created_at FROM deliveries d WHERE d.id = $1',
      [deliveryId],
    );
    return row;
  }

  /** The subscription's deliveries waiting for a batch: how many (up to `maxEvents`), the oldest one and its age. */
  async waitingForBatch(
    subscriptionId: string,
    maxEvents: number,
  ): Promise<{ count: number; oldest_at: Date | null; oldest_id: string | null }> {
    const [row] = await this.dataSource.query<{ count: number; oldest_at: Date | null; oldest_id: string | null }[]>(
      `SELECT count(*)::int AS count, min(created_at) AS oldest_at, (array_agg(id ORDER BY created_at, id))[1] AS oldest_id
       FROM (SELECT id, created_at FROM deliveries
             WHERE subscription_id = $1 AND status = 'queued' AND batch_id IS NULL
             ORDER BY created_at, id LIMIT $2) w`,
      [subscriptionId, maxEvents],
    );
    return row;
  }

  /**
   * Forms a batch `batchId` of the subscription's waiting deliveries and claims it for one attempt
   * (`sending`, with a lease of `leaseMs`), when it is due among the deliveries that may go (see
   * CANDIDATES, MEMBERS and batchDue): one statement, so two formers never share a delivery. Answers
   * the claimed members in batch order; none when no batch is due.
   */
  async formBatch(
    subscriptionId: string,
    options: { maxEvents: number; maxWaitMs: number; ordered: boolean },
    batchId: string,
    leaseMs: number,
  ): Promise<Delivery[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH candidates AS (${CANDIDATES}), members AS (${MEMBERS}),
       due AS (
         SELECT count(*)::int AS size FROM members
         HAVING count(*) >= $2 OR min(created_at) <= now() - $3 * interval '1 millisecond'
       ), d AS (
         UPDATE deliveries SET status = 'sending', batch_id = $5, batch_size = due.size,
           next_attempt_at = now() + $6 * interval '1 millisecond', updated_at = now()
         FROM members, due WHERE deliveries.id = members.id
         RETURNING deliveries.*
       )
       ${this.claimedInOrder}`,
      [subscriptionId, options.maxEvents, options.maxWaitMs, options.ordered, batchId, leaseMs],
    );
    return this.readAll(rows);
  }

  /** Claims a batch of exactly this one waiting delivery; none when it is not waiting for a batch. */
  async formBatchOfOne(deliveryId: string, batchId: string, leaseMs: number): Promise<Delivery[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH d AS (
         UPDATE deliveries SET status = 'sending', batch_id = $2, batch_size = 1,
           next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now()
         WHERE id = $1 AND status = 'queued' AND batch_id IS NULL
         RETURNING *
       )
       ${this.claimedInOrder}`,
      [deliveryId, batchId, leaseMs],
    );
    return this.readAll(rows);
  }

  /**
   * Claims the batch of a delivery for one attempt: every member still on its way, together, when
   * the batch is due (this member is due: its time has come, or it was left `sending` by an attempt
   * whose lease ran out; taking it back then counts as a give-back, see MAX_RELEASES). The members
   * are locked in id order, so two claims of one batch wait for each other and the second finds
   * nothing to take. None when it is not due or someone else holds it.
   */
  async claimBatch(deliveryId: string, leaseMs: number): Promise<Delivery[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH locked AS (
         SELECT m.id FROM deliveries m
         WHERE m.batch_id = (SELECT batch_id FROM deliveries WHERE id = $1)
           AND (m.status IN ('queued', 'retrying') OR (m.status = 'sending' AND m.next_attempt_at < now()))
         ORDER BY m.id
         FOR NO KEY UPDATE
       ), d AS (
         UPDATE deliveries SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond',
           updated_at = now(), release_count = release_count + CASE WHEN status = 'sending' THEN 1 ELSE 0 END
         FROM locked
         WHERE deliveries.id = locked.id AND EXISTS (
           SELECT 1 FROM deliveries x WHERE x.id = $1 AND (
             (x.status IN ('queued', 'retrying') AND x.next_attempt_at <= now() + interval '1 second')
             OR (x.status = 'sending' AND x.next_attempt_at < now())))
         RETURNING deliveries.*
       )
       ${this.claimedInOrder}`,
      [deliveryId, leaseMs],
    );
    return this.readAll(rows);
  }

  /**
   * Leaves a claimed batch's members `leftOut` out before its first attempt: they wait for the next
   * batch again, due at once; the others' batch_size becomes `keptSize`.
   */
  async leaveOutOfBatch(batchId: string, leftOut: string[], keptSize: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET
         status = CASE WHEN id = ANY($2::text[]) THEN 'queued' ELSE status END,
         next_attempt_at = CASE WHEN id = ANY($2::text[]) THEN now() ELSE next_attempt_at END,
         batch_size = CASE WHEN id = ANY($2::text[]) THEN NULL ELSE $3::int END,
         batch_id = CASE WHEN id = ANY($2::text[]) THEN NULL ELSE batch_id END,
         updated_at = now()
       WHERE batch_id = $1 AND status = 'sending'`,
      [batchId, leftOut, keptSize],
    );
  }

  /** Sets when a delivery waiting for a batch looks again; false when it is no longer waiting. */
  async parkForBatch(deliveryId: string, until: Date): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE deliveries SET next_attempt_at = $2, updated_at = now()
       WHERE id = $1 AND status = 'queued' AND batch_id IS NULL`,
      [deliveryId, until],
    );
    return affected > 0;
  }

  /**
   * Records finished attempts in one statement: the attempt rows, and their deliveries' new state;
   * with `manager` (a transaction) when given. Answers the attempts' `created_at` (one row, or none).
   */
  recordAttempts(
    records: { attempt: DeliveryAttempt; delivery: Delivery }[],
    manager: EntityManager | DataSource = this.dataSource,
  ): Promise<{ created_at: Date }[]> {
    const { sql, values } = recordStatement(records);
    return manager.query<{ created_at: Date }[]>(sql, values);
  }

  /**
   * Ends deliveries whose attempt PostgreSQL refused to store, `dead` with `reason`, their fields as
   * `first` (the attempt) left them; only while they are still `sending`.
   */
  async endUnrecorded(ids: string[], first: Delivery, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET status = 'dead', attempt_count = $2, last_attempt_at = $3, last_http_status = $4,
         last_error = $5, next_attempt_at = NULL, completed_at = now(), release_count = 0, updated_at = now()
       WHERE id = ANY($1::text[]) AND status = 'sending'`,
      [ids, first.attemptCount, first.lastAttemptAt, first.lastHttpStatus, reason],
    );
  }

  /**
   * One page of the delivery log (`searched`: the filter with its text search done, see withSearchDone): `limit` deliveries after `after` (the first page when null), each
   * with its last attempt's response time (one index look-up per row of the page, by
   * (delivery_id, attempt_number)), and one row more when there is a next page.
   */
  async logPage(
    tenantId: string,
    searched: DeliveryLogFilter,
    page: { limit: number; after: KeysetPosition | null },
  ): Promise<{ delivery: Delivery; responseTimeMs: number | null; keysetAt: string }[]> {
    const params = new SqlParams();
    const conditions = filterConditions(tenantId, searched, params);
    if (page.after) conditions.push(afterCondition(page.after, params));
    const from = matchingDeliveriesSql({
      conditions,
      statuses: searched.statuses,
      order: 'newest',
      limit: page.limit + 1,
      params,
    });
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${this.columns.select}, ${keysetAtSql('d.created_at')} AS keyset_at, la.response_time_ms AS last_response_time_ms
       FROM ${from}
       LEFT JOIN LATERAL (
         SELECT a.response_time_ms FROM delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt_number DESC LIMIT 1
       ) la ON true
       ${orderBySql('newest')} LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    return rows.map((row) => ({
      delivery: this.columns.read(row)!,
      responseTimeMs: (row.last_response_time_ms as number | null) ?? null,
      keysetAt: row.keyset_at as string,
    }));
  }

  /**
   * The deliveries a bulk retry may send again, oldest first, at most `limit`: those `filter` matches
   * among `statuses`, of the webhooks `active`; finished ones not retried already, retrying ones not
   * due yet.
   */
  requeueCandidates(
    tenantId: string,
    searched: DeliveryLogFilter,
    active: string[],
    statuses: readonly DeliveryStatus[],
    limit: number,
  ): Promise<{ id: string; status: DeliveryStatus }[]> {
    const params = new SqlParams();
    const conditions = filterConditions(tenantId, searched, params);
    conditions.push(`d.subscription_id = ANY(${params.add(active)}::text[])`);
    const from = matchingDeliveriesSql({
      conditions,
      statuses,
      branchConditions: (status) => (status === 'retrying' ? ['d.next_attempt_at > now()'] : [NOT_RETRIED]),
      order: 'oldest',
      limit,
      params,
    });
    return this.dataSource.query(
      `SELECT d.id, d.status FROM ${from} ${orderBySql('oldest')} LIMIT ${params.add(limit)}`,
      params.values,
    );
  }

  /** A `retrying` delivery of the tenant made due now (at the latest); null when it is not `retrying`. */
  async sendNow(tenantId: string, deliveryId: string): Promise<Delivery | null> {
    const [rows] = await this.dataSource.query<[Record<string, unknown>[], number]>(
      `UPDATE deliveries d SET next_attempt_at = LEAST(d.next_attempt_at, now()), updated_at = now()
       WHERE d.id = $1 AND d.tenant_id = $2 AND d.status = 'retrying'
       RETURNING ${this.columns.select}`,
      [deliveryId, tenantId],
    );
    return rows[0] ? this.columns.read(rows[0]) : null;
  }

  /** The tenant's retrying deliveries among `ids` not due yet, made due now, in `manager`'s transaction. */
  async makeDue(
    manager: EntityManager,
    tenantId: string,
    ids: string[],
  ): Promise<{ id: string; attempt_count: number }[]> {
    const [rows] = await manager.query<[{ id: string; attempt_count: number }[], number]>(
      `UPDATE deliveries SET next_attempt_at = now(), updated_at = now()
       WHERE id = ANY($1::text[]) AND tenant_id = $2 AND status = 'retrying' AND next_attempt_at > now()
       RETURNING id, attempt_count`,
      [ids, tenantId],
    );
    return rows;
  }

  /** The tenant's finished deliveries among `ids`, oldest first, locked (those another call holds skipped). */
  async lockFinished(manager: EntityManager, tenantId: string, ids: string[]): Promise<Delivery[]> {
    const rows = await manager.query<Record<string, unknown>[]>(
      `SELECT ${this.columns.select} FROM deliveries d
       WHERE d.id = ANY($1::text[]) AND d.tenant_id = $2 AND d.status IN ('dead', 'cancelled', 'success')
       ORDER BY d.created_at, d.id FOR NO KEY UPDATE SKIP LOCKED`,
      [ids, tenantId],
    );
    return rows.map((row) => this.columns.read(row)!);
  }

  /** The deliveries among `ids` that a delivery sends again already, read in `manager`'s transaction. */
  async retriedAmong(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    const retried = await manager.query<{ original_delivery_id: string }[]>(
      'SELECT DISTINCT original_delivery_id FROM deliveries WHERE original_delivery_id = ANY($1::text[])',
      [ids],
    );
    return new Set(retried.map((r) => r.original_delivery_id));
  }

  /**
   * The claimed deliveries (`d` is the claiming statement's RETURNING) in batch order: the order their
   * events were published in, as ordered delivery counts it.
   */
  private get claimedInOrder(): string {
    return `SELECT ${this.columns.select} FROM d ORDER BY d.created_at, d.id`;
  }

  private readAll(rows: Record<string, unknown>[]): Delivery[] {
    return rows.map((row) => this.columns.read(row)!);
  }
}
