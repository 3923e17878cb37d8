import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Subscription } from './subscription.entity';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsTenantData } from './subscriptions.tenant-data';

/** Subscriptions; the deliveries feature builds on this one (SubscriptionsService.onDeactivated). */
@Module({
  imports: [TypeOrmModule.forFeature([Subscription])],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsService, SubscriptionsTenantData, SubscriptionsRepository],
  exports: [SubscriptionsService, SubscriptionsRepository, TypeOrmModule],
})
export class SubscriptionsModule {}
