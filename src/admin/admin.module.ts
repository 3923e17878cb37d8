import { BullAdapter } from '@bull-board/api/bullAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullBoardModule } from '@bull-board/nestjs';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/env';
import { QUEUE_NAMES } from './queue-catalogue';
import { queueDashboardAuth } from './queue-dashboard.auth';

export const QUEUE_DASHBOARD_ROUTE = '/admin/queues';

/**
 * The Bull queue dashboard at /admin/queues, behind the operator's admin key; HTTP roles only.
 * Built per application: the board and its Express router belong to one app, never shared.
 */
@Module({})
export class AdminModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AdminModule,
      imports: [
        BullBoardModule.forRoot({
          route: QUEUE_DASHBOARD_ROUTE,
          adapter: ExpressAdapter,
          middleware: queueDashboardAuth(config.adminApiKey, config.publicUrl),
          boardOptions: { uiConfig: { boardTitle: 'Hookhub queues', hideDocsLink: true } },
        }),
        BullBoardModule.forFeature(...QUEUE_NAMES.map((name) => ({ name, adapter: BullAdapter }))),
      ],
    };
  }
}
