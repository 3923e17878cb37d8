import { NOTIFICATION_QUEUE } from '../notifications/notification.queue';
import { DELIVERY_QUEUE } from '../deliveries/delivery.queue';
import { INBOUND_QUEUE } from '../webhooks/inbound.queue';

/**
 * Every Bull queue Hookhub registers (`BullModule.registerQueue`). The queue dashboard shows each
 * and `GET /health` reports each one's job counts: adding a queue is one line here.
 */
export const QUEUE_NAMES: readonly string[] = [DELIVERY_QUEUE, INBOUND_QUEUE, NOTIFICATION_QUEUE];
