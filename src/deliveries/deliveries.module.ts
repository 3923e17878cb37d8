import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { DELIVERY_QUEUE } from './delivery.queue';
import { Delivery } from './delivery.entity';
import { DeliveryStore } from './delivery.store';
import { DeliveriesTenantData } from './deliveries.tenant-data';

/** The deliveries table and queue; sending lives in DispatchModule, which builds on this and on events. */
@Module({
  imports: [TypeOrmModule.forFeature([Delivery, DeliveryAttempt]), BullModule.registerQueue({ name: DELIVERY_QUEUE })],
  providers: [DeliveryStore, DeliveriesTenantData],
  exports: [DeliveryStore, TypeOrmModule, BullModule],
})
export class DeliveriesModule {}
