import { Module } from '@nestjs/common';
import { IngestModule } from '../../webhooks/ingest.module';
import { SlackEventsController } from './slack-events.controller';
import { SlackEventsService } from './slack-events.service';

/** Slack's Request URL (events, slash commands, interactivity). */
@Module({
  imports: [IngestModule],
  controllers: [SlackEventsController],
  providers: [SlackEventsService],
})
export class SlackModule {}
