import { DeliveryAttempt } from '../deliveries/delivery-attempt.entity';
import { Delivery } from '../deliveries/delivery.entity';
import { Event } from '../events/event.entity';
import { Subscription } from '../subscriptions/subscription.entity';
import { NotificationRule } from '../notifications/notification-rule.entity';
import { Notification } from '../notifications/notification.entity';
import { ApiKey } from '../tenants/api-key.entity';
import { EntityState } from '../webhooks/entity-state.entity';
import { InboundEvent } from '../webhooks/inbound-event.entity';
import { Source } from '../webhooks/source.entity';
import { Tenant } from '../tenants/tenant.entity';

/** Every entity of the one data source; a feature adds its entities here. */
export const ENTITIES = [
  Tenant,
  ApiKey,
  Subscription,
  Event,
  Delivery,
  DeliveryAttempt,
  Source,
  InboundEvent,
  EntityState,
  NotificationRule,
  Notification,
];
