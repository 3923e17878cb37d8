import { defineProvider } from '../provider';
import { SlackNormalizer } from './slack.normalizer';

/** Slack's Request URL for events, slash commands and interactivity (slack-events.controller.ts). */
export const SLACK_EVENTS_PATH = '/api/v1/integrations/slack/events';

/**
 * Slack Events API, slash commands and interactivity at POST /api/v1/integrations/slack/events, verified
 * with the app's signing secret (which Slack issues). The ingest_url carries `?source_id=` because Slack's
 * url_verification handshake names neither the app nor the workspace.
 */
export const slack = defineProvider({
  id: 'slack',
  name: 'Slack',
  defaultScheme: 'slack',
  issuedSecrets: ['slack'],
  normalizer: new SlackNormalizer(),
  ingestPath: (source) => `${SLACK_EVENTS_PATH}?source_id=${source.id}`,
  sharedRoute: SLACK_EVENTS_PATH,
});
