import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/env';
import type { RetriedWork, RetryPolicy } from './retry-policy';

/**
 * How one kind of work waits in its table, for `hookhub_queue_depth` (observability/backlog.ts): the
 * statuses of rows waiting for a run and the column saying when each is due, which a partial index
 * over those statuses covers. Declared by the feature that owns the table.
 */
export interface WorkBacklog {
  kind: RetriedWork;
  table: string;
  dueColumn: string;
  waiting: readonly string[];
}

/** A row the sweeper found overdue: its id, the run its job is for, and how late it is. */
export interface SweptRow {
  id: string;
  run: number;
  overdue_ms: number | string;
}

/** What the generic machine may ask of PostgreSQL: plain statements only (the SQL is the feature's). */
export type Queryable = Pick<DataSource, 'query'>;

/**
 * One kind of leased work (deliveries, inbound runs, notifications), declared by the feature that
 * owns its table in `<kind>.work.ts`: the Bull queue and job name, how many rows a worker runs at
 * once, the lease a claim takes, the retry policy, where the backlog waits and how the sweeper finds
 * rows no job serves. The machine in src/work runs every kind the same way; it knows no table, so
 * each statement comes from here. What runs one row (the claim, the work, the record) is the
 * feature's runner, given when the kind's workers are registered (see workerProviders).
 */
export interface WorkKind {
  readonly name: RetriedWork;
  /** The Bull queue and the name of its jobs. */
  readonly queue: string;
  readonly job: string;
  /**
   * The field of a job queued before jobs carried `ids` (`{ deliveryId }`): such jobs, left in Redis
   * across a deploy, still run.
   */
  readonly legacyIdField: string;
  /** How many rows a worker process runs at once (ids in flight, whatever the jobs they came in). */
  concurrency(config: AppConfig): number;
  /** How long a claim holds a row before another claim may take it back (the process died or hung). */
  readonly leaseMs: number;
  retryPolicy(config: AppConfig): RetryPolicy;
  readonly backlog: WorkBacklog;
  /**
   * Rows whose time came at least `overdueMs` ago and that may have no job (Redis lost them, queueing
   * failed after the commit, a lease ran out), oldest first, at most `limit`; rows claimed together
   * (a delivery batch) answered once.
   */
  sweep(db: Queryable, overdueMs: number, limit: number): Promise<SweptRow[]>;
}

/** A row to run: its id, the run its job is for (an attempt, a retry), and when it is due (now when null). */
export interface WorkItem {
  id: string;
  run: number;
  dueAt: Date | null;
}

/** What a job carries: row ids only (PostgreSQL is the record), several per job. */
export interface WorkJob {
  ids: string[];
}

/**
 * The ids a job points at: `ids`, or the one id of a job queued in the old single-id shape before a
 * deploy (`{ deliveryId }`, `{ inboundEventId }`, `{ notificationId }`); none when it holds neither.
 */
export function idsOfJob(data: unknown, legacyIdField: string): string[] {
  const job = (data ?? {}) as Record<string, unknown>;
  if (Array.isArray(job.ids)) return job.ids.filter((id): id is string => typeof id === 'string');
  const legacy = job[legacyIdField];
  return typeof legacy === 'string' ? [legacy] : [];
}
