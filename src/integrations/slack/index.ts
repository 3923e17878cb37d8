import type { Integration } from '../provider';
import { SLACK_EVENTS_PATH, SlackEventsController } from './slack-events.controller';
import { SlackEventsService } from './slack-events.service';
import { SlackNormalizer } from './slack.normalizer';

/**
 * Slack Events API, slash commands and interactivity at POST /api/v1/integrations/slack/events. The ingest_url
 * carries `?source_id=` because Slack's url_verification handshake names neither the app nor the workspace.
 */
export const integration: Integration = {
  provider: 'slack',
  normalizer: new SlackNormalizer(),
  controllers: [SlackEventsController],
  providers: [{ provide: SlackEventsService }],
  ingestPath: (source) => `${SLACK_EVENTS_PATH}?source_id=${source.id}`,
  sharedRoute: SLACK_EVENTS_PATH,
};
