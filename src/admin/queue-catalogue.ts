import { DELIVERY_WORK } from '../deliveries/delivery.work';
import { NOTIFICATION_WORK } from '../notifications/notification.work';
import { INBOUND_WORK } from '../webhooks/inbound.work';

/**
 * Every Bull queue Hookhub registers (`BullModule.registerQueue`), one per kind of work (src/work).
 * The queue dashboard shows each and `GET /health` reports each one's job counts: adding a kind is
 * one entry here.
 */
export const QUEUE_NAMES: readonly string[] = [DELIVERY_WORK, INBOUND_WORK, NOTIFICATION_WORK].map(
  (kind) => kind.queue,
);
