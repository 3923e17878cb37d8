import { DynamicModule, Module } from '@nestjs/common';
import type { AppRole } from '../../config/env';
import { IngestModule } from '../../webhooks/ingest.module';
import { YclientsController } from './yclients.controller';
import { YclientsReconciler } from './yclients.reconciler';
import { YclientsReplayer } from './yclients.replayer';
import { WebhooksRepository } from '../../webhooks/webhooks.repository';

/** YClients' shared route, and where workers run, the reconciliation job that replays missed records. */
@Module({})
export class YclientsModule {
  static register(role: AppRole): DynamicModule {
    return {
      module: YclientsModule,
      imports: [IngestModule],
      controllers: [YclientsController],
      providers: role === 'api' ? [] : [YclientsReplayer, YclientsReconciler, WebhooksRepository],
    };
  }
}
