import { Module } from '@nestjs/common';
import { IngestModule } from '../../webhooks/ingest.module';
import { WhatsappController } from './whatsapp.controller';

/** The Callback URL of a Meta app's WhatsApp webhooks (handshake and notifications). */
@Module({
  imports: [IngestModule],
  controllers: [WhatsappController],
})
export class WhatsappModule {}
