import { DynamicModule, Module, Provider } from '@nestjs/common';
import type { AppRole } from '../config/env';
import { EventsModule } from '../events/events.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesModule } from './deliveries.module';
import { DeliveriesService } from './deliveries.service';
import { DeliveryLogController } from './delivery-log.controller';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryRequeuer } from './delivery-requeuer';
import { DeliveryStats } from './delivery-stats';
import { DeliverySweeper } from './delivery.sweeper';
import { DeliveryWorker } from './delivery.processor';
import { Dispatcher } from './dispatcher.service';
import { RetentionService } from './retention.service';
import { DeliveriesRepository } from './deliveries.repository';
import { EventsRepository } from '../events/events.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { WebhooksRepository } from '../webhooks/webhooks.repository';

/**
 * Sending outgoing webhooks: the dispatcher and the delivery log API everywhere; the queue worker,
 * the sweeper and the retention job only where workers run (APP_ROLE worker or all).
 */
@Module({})
export class DispatchModule {
  static register(role: AppRole): DynamicModule {
    const workers: Provider[] = role === 'api' ? [] : [DeliveryWorker, DeliverySweeper, RetentionService];
    return {
      module: DispatchModule,
      imports: [DeliveriesModule, SubscriptionsModule, EventsModule],
      controllers: [DeliveriesController, DeliveryLogController],
      providers: [
        Dispatcher,
        DeliveryStats,
        DeliveriesService,
        DeliveryLogService,
        DeliveryRequeuer,
        DeliveriesRepository,
        EventsRepository,
        SubscriptionsRepository,
        WebhooksRepository,
        ...workers,
      ],
      exports: [Dispatcher],
    };
  }
}
