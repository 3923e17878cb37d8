import { NotificationStatus } from './notification.entity';

/**
 * Where notifications wait, for `hookhub_queue_depth{kind="notifications"}` (docs/observability.md):
 * queued rows (new ones and retries), due at `next_attempt_at` (the partial index idx_notifications_due
 * covers them).
 */
export const NOTIFICATION_BACKLOG = {
  kind: 'notifications',
  table: 'notifications',
  dueColumn: 'next_attempt_at',
  waiting: ['queued'] satisfies NotificationStatus[],
} as const;
