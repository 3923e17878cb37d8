import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { Event } from './event.entity';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EventsRepository } from './events.repository';
import { EventsTenantData } from './events.tenant-data';

/**
 * Events and their log. The deliveries feature builds on this one: it attaches the fan-out of new
 * events, which also answers an event's deliveries (EventsService.setFanOut).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Event]), SubscriptionsModule],
  controllers: [EventsController],
  providers: [EventsService, EventsTenantData, EventsRepository],
  exports: [EventsService, EventsRepository],
})
export class EventsModule {}
