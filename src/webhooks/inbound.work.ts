import { retryPolicy } from '../work/retry-policy';
import type { Queryable, SweptRow, WorkKind } from '../work/work-kind';
import type { InboundStatus } from './inbound-event.entity';

/*
 * Inbound-event processing runs as leased work (src/work): the statements the machine runs on the
 * inbound_events table live here, beside the feature that owns the table.
 */

/** The Bull queue of processing runs and the name of its jobs; a job carries inbound event ids only. */
export const INBOUND_QUEUE = 'inbound';
export const PROCESS_JOB = 'process';

/** Rows swept: a job's run is the retry it is for (`<id>:<retry_count>`, 0 for the first run). */
export const SWEEP_INBOUND_SQL = `SELECT id, retry_count AS run,
    EXTRACT(EPOCH FROM now() - next_retry_at) * 1000 AS overdue_ms
  FROM inbound_events
  WHERE status IN ('pending', 'retrying', 'processing') AND next_retry_at <= now() - $1 * interval '1 millisecond'
  ORDER BY next_retry_at LIMIT $2`;

/** Inbound events whose run was due `overdueMs` ago or more (pending, retrying, or processing past their lease). */
export function sweepInbound(db: Queryable, overdueMs: number, limit: number): Promise<SweptRow[]> {
  return db.query<SweptRow[]>(SWEEP_INBOUND_SQL, [overdueMs, limit]);
}

/** Gives a claimed run back after an unexpected error: `retrying`, due again in 3 s, `release_count = $2`. */
export function releaseInbound(db: Queryable, id: string, releases: number): Promise<unknown> {
  return db.query(
    `UPDATE inbound_events SET status = 'retrying', next_retry_at = now() + interval '3 seconds', release_count = $2
     WHERE id = $1 AND status = 'processing'`,
    [id, releases],
  );
}

/** Processing runs: INBOUND_CONCURRENCY at once per worker, a 30 s lease. */
export const INBOUND_WORK: WorkKind = {
  name: 'inbound',
  queue: INBOUND_QUEUE,
  job: PROCESS_JOB,
  legacyIdField: 'inboundEventId',
  concurrency: (config) => config.inboundConcurrency,
  leaseMs: 30_000,
  retryPolicy: (config) => retryPolicy('inbound', config),
  // for `hookhub_queue_depth{kind="inbound"}` (docs/observability.md): rows pending or retrying, due at
  // `next_retry_at` (the partial index idx_inbound_events_due covers them)
  backlog: {
    kind: 'inbound',
    table: 'inbound_events',
    dueColumn: 'next_retry_at',
    waiting: ['pending', 'retrying'] satisfies InboundStatus[],
  },
  sweep: sweepInbound,
};
