import { Module } from '@nestjs/common';
import { IngestModule } from '../../webhooks/ingest.module';
import { TelegramController } from './telegram.controller';

/** The Bot API's webhook route. */
@Module({
  imports: [IngestModule],
  controllers: [TelegramController],
})
export class TelegramModule {}
