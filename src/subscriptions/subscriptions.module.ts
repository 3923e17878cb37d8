import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { Subscription } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsTenantData } from './subscriptions.tenant-data';

@Module({
  imports: [TypeOrmModule.forFeature([Subscription]), DeliveriesModule],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsService, SubscriptionsTenantData, SubscriptionsRepository],
  exports: [SubscriptionsService, TypeOrmModule],
})
export class SubscriptionsModule {}
