import type { Integration } from '../provider';
import { TelegramController } from './telegram.controller';
import { TelegramNormalizer } from './telegram.normalizer';

/** Telegram Bot API webhooks at POST /api/v1/integrations/telegram/{source_id}. */
export const integration: Integration = {
  provider: 'telegram',
  normalizer: new TelegramNormalizer(),
  controllers: [TelegramController],
  ingestPath: (source) => `/api/v1/integrations/telegram/${source.id}`,
};
