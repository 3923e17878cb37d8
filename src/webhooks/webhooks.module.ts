import { BullModule } from '@nestjs/bull';
import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppRole } from '../config/env';
import { EventsModule } from '../events/events.module';
import { integrationControllers, integrationProviders } from '../integrations/registry';
import { EntityStateService } from './entity-state.service';
import { InboundEvent } from './inbound-event.entity';
import { InboundEventsController } from './inbound-events.controller';
import { InboundEventsService } from './inbound-events.service';
import { InboundProcessor } from './inbound-processor.service';
import { INBOUND_QUEUE, InboundQueue } from './inbound.queue';
import { InboundWorker } from './inbound.processor';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';
import { IngestTenantData } from './ingest.tenant-data';
import { Source } from './source.entity';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';
import { VerificationThrottle } from './verification-throttle.service';

/** Incoming webhooks: sources, the ingest routes, the inbound-event store, and (in workers) processing. */
@Module({})
export class WebhooksModule {
  static register(role: AppRole): DynamicModule {
    const withWorkers = role !== 'api';
    const workers: Provider[] = withWorkers ? [InboundProcessor, InboundWorker, EntityStateService] : [];
    return {
      module: WebhooksModule,
      imports: [
        TypeOrmModule.forFeature([Source, InboundEvent]),
        BullModule.registerQueue({ name: INBOUND_QUEUE }),
        EventsModule,
      ],
      // IngestController first: POST /webhooks/incoming/{kind} must win over /webhooks/{id}/…
      controllers: [IngestController, SourcesController, InboundEventsController, ...integrationControllers()],
      providers: [
        SourcesService,
        IngestService,
        IngestTenantData,
        VerificationThrottle,
        InboundEventsService,
        InboundQueue,
        ...workers,
        ...integrationProviders(withWorkers),
      ],
      exports: [SourcesService, IngestService],
    };
  }
}
