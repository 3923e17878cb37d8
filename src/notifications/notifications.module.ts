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
import { NOTIFICATION_WORK } from './notification.work';
import { workerProviders, workQueueProvider } from '../work/work.providers';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { NotificationsTenantData } from './notifications.tenant-data';
import { Notifier } from './notifier.service';
import { RuleTester } from './rule-tester.service';

/** Rules, routing of events to notifications, sending through channels, history (docs/api.md). */
@Module({})
export class NotificationsModule {
  static register(role: AppRole): DynamicModule {
    const workers: Provider[] = role === 'api' ? [] : workerProviders(NOTIFICATION_WORK, Notifier);
    return {
      module: NotificationsModule,
      imports: [
        TypeOrmModule.forFeature([NotificationRule, Notification, Event, Tenant]),
        BullModule.registerQueue({ name: NOTIFICATION_WORK.queue }),
        EventsModule,
      ],
      controllers: [NotificationsController],
      providers: [
        workQueueProvider(NOTIFICATION_WORK),
        NotificationRulesService,
        NotificationsService,
        NotificationsTenantData,
        NotificationRouter,
        NotificationRecorder,
        Notifier,
        RuleTester,
        ...workers,
      ],
    };
  }
}
