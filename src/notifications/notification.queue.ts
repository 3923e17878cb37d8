/** The Bull queue of notification sends; a job carries only the notification id. */
export const NOTIFICATION_QUEUE = 'notifications';
export const NOTIFY_JOB = 'notify';

export interface NotifyJob {
  notificationId: string;
}
