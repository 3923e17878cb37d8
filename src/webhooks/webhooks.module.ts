import { DynamicModule, Module, Provider } from '@nestjs/common';
import type { AppRole } from '../config/env';
import { EventsModule } from '../events/events.module';
import { EntityStateService } from './entity-state.service';
import { InboundEventsController } from './inbound-events.controller';
import { InboundEventsService } from './inbound-events.service';
import { InboundProcessor } from './inbound-processor.service';
import { InboundWorker } from './inbound.processor';
import { IngestController } from './ingest.controller';
import { IngestModule } from './ingest.module';
import { IngestTenantData } from './ingest.tenant-data';
import { SourcesController } from './sources.controller';
import { WebhooksRepository } from './webhooks.repository';

/**
 * Incoming webhooks: sources, Hookhub's own ingest routes, the inbound-event store, and (in workers)
 * processing. The providers' own routes are their modules' (src/integrations/integration-modules.ts).
 */
@Module({})
export class WebhooksModule {
  static register(role: AppRole): DynamicModule {
    const workers: Provider[] = role === 'api' ? [] : [InboundProcessor, InboundWorker, EntityStateService];
    return {
      module: WebhooksModule,
      imports: [IngestModule, EventsModule],
      // IngestController first: POST /webhooks/incoming/{kind} must win over /webhooks/{id}/…
      controllers: [IngestController, SourcesController, InboundEventsController],
      providers: [IngestTenantData, InboundEventsService, WebhooksRepository, ...workers],
    };
  }
}
