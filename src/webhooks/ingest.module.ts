import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InboundEvent } from './inbound-event.entity';
import { queueToken, workQueueProvider } from '../work/work.providers';
import { InboundQueue } from './inbound.queue';
import { INBOUND_WORK } from './inbound.work';
import { IngestService } from './ingest.service';
import { Source } from './source.entity';
import { SourcesService } from './sources.service';
import { VerificationThrottle } from './verification-throttle.service';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The ingest pipeline every route that receives webhooks builds on: sources, verification, storing
 * inbound events and queueing their processing. `WebhooksModule` adds Hookhub's own routes and the
 * processing; each provider's module (src/integrations) adds its routes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Source, InboundEvent]), BullModule.registerQueue({ name: INBOUND_WORK.queue })],
  providers: [
    SourcesService,
    IngestService,
    VerificationThrottle,
    workQueueProvider(INBOUND_WORK),
    InboundQueue,
    WebhooksRepository,
  ],
  exports: [
    SourcesService,
    IngestService,
    InboundQueue,
    WebhooksRepository,
    queueToken(INBOUND_WORK),
    TypeOrmModule,
    BullModule,
  ],
})
export class IngestModule {}
