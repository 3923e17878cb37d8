import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppRole } from '../config/env';
import { EventsModule } from '../events/events.module';
import { IngestModule } from '../webhooks/ingest.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { workerProviders, workQueueProvider } from '../work/work.providers';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { DeliveriesTenantData } from './deliveries.tenant-data';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { DeliveryFanOut } from './delivery-fan-out';
import { DeliveryLogController } from './delivery-log.controller';
import { DeliveryLogService } from './delivery-log.service';
import { DeliveryRequeuer } from './delivery-requeuer';
import { DeliveryStats } from './delivery-stats';
import { Delivery } from './delivery.entity';
import { DeliveryStore } from './delivery.store';
import { DELIVERY_WORK } from './delivery.work';
import { Dispatcher } from './dispatcher.service';
import { RetentionService } from './retention.service';

/**
 * Outgoing webhooks, on top of events and subscriptions (which do not know it): the deliveries table
 * and queue, the fan-out of every new event (DeliveryFanOut), the dispatcher and the delivery log
 * API everywhere; the queue's processor and sweeper (src/work) and the retention job only where
 * workers run (APP_ROLE worker or all).
 */
@Module({})
export class DeliveriesModule {
  static register(role: AppRole): DynamicModule {
    const workers: Provider[] = role === 'api' ? [] : [...workerProviders(DELIVERY_WORK, Dispatcher), RetentionService];
    return {
      module: DeliveriesModule,
      imports: [
        TypeOrmModule.forFeature([Delivery, DeliveryAttempt]),
        BullModule.registerQueue({ name: DELIVERY_WORK.queue }),
        SubscriptionsModule,
        EventsModule,
        // retention deletes old inbound events through the webhooks feature's repository
        IngestModule,
      ],
      controllers: [DeliveriesController, DeliveryLogController],
      providers: [
        workQueueProvider(DELIVERY_WORK),
        DeliveryStore,
        DeliveriesRepository,
        DeliveryFanOut,
        DeliveriesTenantData,
        Dispatcher,
        DeliveryStats,
        DeliveriesService,
        DeliveryLogService,
        DeliveryRequeuer,
        ...workers,
      ],
    };
  }
}
