import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppRole } from '../config/env';
import { EventsModule } from '../events/events.module';
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
import { NotificationsRepository } from './notifications.repository';
import { TenantsRepository } from '../tenants/tenants.repository';

/** Rules, routing of events to notifications, sending through channels, history (docs/api.md). */
@Module({})
export class NotificationsModule {
  static register(role: AppRole): DynamicModule {
    const workers: Provider[] = role === 'api' ? [] : workerProviders(NOTIFICATION_WORK, Notifier);
    return {
      module: NotificationsModule,
      imports: [
        TypeOrmModule.forFeature([NotificationRule, Notification]),
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
        NotificationsRepository,
        // the tenants' module serves HTTP only (API keys): the notifier reads a tenant's settings through
        // the tenants feature's repository, provided here for the worker role too
        TenantsRepository,
        RuleTester,
        ...workers,
      ],
    };
  }
}
