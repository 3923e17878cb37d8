import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InboundEvent } from './inbound-event.entity';
import { INBOUND_QUEUE, InboundQueue } from './inbound.queue';
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
  imports: [TypeOrmModule.forFeature([Source, InboundEvent]), BullModule.registerQueue({ name: INBOUND_QUEUE })],
  providers: [SourcesService, IngestService, VerificationThrottle, InboundQueue, WebhooksRepository],
  exports: [SourcesService, IngestService, InboundQueue, TypeOrmModule, BullModule],
})
export class IngestModule {}
