import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Delivery } from '../deliveries/delivery.entity';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { Event } from './event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventsTenantData } from './events.tenant-data';

/**
 * Events and their log. The deliveries feature builds on this one: it attaches the fan-out of new
 * events (EventsService.setFanOut); the Delivery entity is here only for reading an event's deliveries.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Event, Delivery]), SubscriptionsModule],
  controllers: [EventsController],
  providers: [EventsService, EventsTenantData],
  exports: [EventsService],
})
export class EventsModule {}
