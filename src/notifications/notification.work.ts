import { retryPolicy } from '../work/retry-policy';
import type { WorkKind } from '../work/work-kind';
import { sweepNotifications } from './notifications.repository';
import type { NotificationStatus } from './notification.entity';

/*
 * Notification sends as leased work (src/work). The statements the machine runs on the
 * notifications table (the sweep, and the give-backs the recorder runs) are in
 * notifications.repository.ts.
 */

/** The Bull queue of notification sends and the name of its jobs; a job carries notification ids only. */
export const NOTIFICATION_QUEUE = 'notifications';
export const NOTIFY_JOB = 'notify';

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
