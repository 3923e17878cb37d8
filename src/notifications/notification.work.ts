import { retryPolicy } from '../work/retry-policy';
import type { Queryable, SweptRow, WorkKind } from '../work/work-kind';
import type { NotificationStatus } from './notification.entity';

/*
 * Notification sends as leased work (src/work): the statements the machine runs on the
 * notifications table live here, beside the feature that owns the table.
 */

/** The Bull queue of notification sends and the name of its jobs; a job carries notification ids only. */
export const NOTIFICATION_QUEUE = 'notifications';
export const NOTIFY_JOB = 'notify';

/** How soon a notification given back after an unexpected error is due again. */
export const GIVE_BACK_DELAY_MS = 3_000;

/** Rows swept: a job's run is the send it is for (`<id>:<attempts>`, 0 for the first). */
export const SWEEP_NOTIFICATIONS_SQL = `SELECT id, attempts AS run,
    EXTRACT(EPOCH FROM now() - next_attempt_at) * 1000 AS overdue_ms
  FROM notifications
  WHERE status IN ('queued', 'sending') AND next_attempt_at <= now() - $1 * interval '1 millisecond'
  ORDER BY next_attempt_at LIMIT $2`;

/** Notifications whose send was due `overdueMs` ago or more (queued, or sending past their lease). */
export function sweepNotifications(db: Queryable, overdueMs: number, limit: number): Promise<SweptRow[]> {
  return db.query<SweptRow[]>(SWEEP_NOTIFICATIONS_SQL, [overdueMs, limit]);
}

/** Gives a claimed notification back after an unexpected error: `queued`, due again after GIVE_BACK_DELAY_MS. */
export function releaseNotification(db: Queryable, id: string, releases: number): Promise<unknown> {
  return db.query(
    `UPDATE notifications SET status = 'queued', next_attempt_at = now() + $3 * interval '1 millisecond',
       release_count = $2
     WHERE id = $1 AND status = 'sending'`,
    [id, releases, GIVE_BACK_DELAY_MS],
  );
}

/** Ends a claimed notification `failed` with `reason` when its give-backs are exhausted. */
export function endNotification(db: Queryable, id: string, releases: number, reason: string): Promise<unknown> {
  return db.query(
    `UPDATE notifications SET status = 'failed', error = $3, next_attempt_at = NULL, release_count = $2
     WHERE id = $1 AND status = 'sending'`,
    [id, releases, reason],
  );
}

/** Notification sends: 20 at once per worker, a 60 s lease. */
export const NOTIFICATION_WORK: WorkKind = {
  name: 'notifications',
  queue: NOTIFICATION_QUEUE,
  job: NOTIFY_JOB,
  legacyIdField: 'notificationId',
  concurrency: () => 20,
  leaseMs: 60_000,
  retryPolicy: (config) => retryPolicy('notifications', config),
  // for `hookhub_queue_depth{kind="notifications"}` (docs/observability.md): queued rows (new ones and
  // retries), due at `next_attempt_at` (the partial index idx_notifications_due covers them)
  backlog: {
    kind: 'notifications',
    table: 'notifications',
    dueColumn: 'next_attempt_at',
    waiting: ['queued'] satisfies NotificationStatus[],
  },
  sweep: sweepNotifications,
};
