import { retryPolicy } from '../work/retry-policy';
import type { Queryable, SweptRow, WorkKind } from '../work/work-kind';
import type { DeliveryStatus } from './delivery.entity';

/*
 * The deliveries as leased work (src/work): the statements the machine runs on the deliveries
 * table live here, beside the feature that owns the table.
 */

/** The Bull queue of delivery attempts and the name of its jobs; a job carries delivery ids only. */
export const DELIVERY_QUEUE = 'deliveries';
export const DELIVER_JOB = 'deliver';

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

/** Delivery attempts: DELIVERY_CONCURRENCY attempts in flight per worker, a 90 s lease (longest timeout plus margin). */
export const DELIVERY_WORK: WorkKind = {
  name: 'deliveries',
  queue: DELIVERY_QUEUE,
  job: DELIVER_JOB,
  legacyIdField: 'deliveryId',
  concurrency: (config) => config.deliveryConcurrency,
  leaseMs: 90_000,
  retryPolicy: (config) => retryPolicy('deliveries', config),
  // for `hookhub_queue_depth{kind="deliveries"}` (docs/observability.md): rows queued or retrying, due
  // at `next_attempt_at` (the partial index idx_deliveries_due covers them)
  backlog: {
    kind: 'deliveries',
    table: 'deliveries',
    dueColumn: 'next_attempt_at',
    waiting: ['queued', 'retrying'] satisfies DeliveryStatus[],
  },
  sweep: sweepDeliveries,
};
