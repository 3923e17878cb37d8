import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppRole } from '../config/env';
import { Event } from '../events/event.entity';
import { EventsModule } from '../events/events.module';
import { Tenant } from '../tenants/tenant.entity';
import { NotificationRouter } from './notification-router';
import { NotificationRulesService } from './notification-rules.service';
import { NotificationRule } from './notification-rule.entity';
import { Notification } from './notification.entity';
import { NotificationRecorder } from './notification-recorder';
import { NOTIFICATION_QUEUE } from './notification.queue';
import { NotificationWorker } from './notification.processor';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { NotificationsTenantData } from './notifications.tenant-data';
import { Notifier } from './notifier.service';
import { RuleTester } from './rule-tester.service';
import { NotificationsRepository } from './notifications.repository';
import { EventsRepository } from '../events/events.repository';
import { TenantsRepository } from '../tenants/tenants.repository';

/** Rules, routing of events to notifications, sending through channels, history (docs/api.md). */
@Module({})
export class NotificationsModule {
  static register(role: AppRole): DynamicModule {
    const workers: Provider[] = role === 'api' ? [] : [NotificationWorker];
    return {
      module: NotificationsModule,
      imports: [
        TypeOrmModule.forFeature([NotificationRule, Notification, Event, Tenant]),
        BullModule.registerQueue({ name: NOTIFICATION_QUEUE }),
        EventsModule,
      ],
      controllers: [NotificationsController],
      providers: [
        NotificationRulesService,
        NotificationsService,
        NotificationsTenantData,
        NotificationRouter,
        NotificationRecorder,
        Notifier,
        NotificationsRepository,
        EventsRepository,
        TenantsRepository,
        RuleTester,
        ...workers,
      ],
    };
  }
}
