import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { Event } from './event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventsRepository } from './events.repository';
import { EventsTenantData } from './events.tenant-data';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';

@Module({
  imports: [TypeOrmModule.forFeature([Event]), DeliveriesModule, SubscriptionsModule],
  controllers: [EventsController],
  providers: [EventsService, EventsTenantData, EventsRepository, DeliveriesRepository, SubscriptionsRepository],
  exports: [EventsService],
})
export class EventsModule {}
