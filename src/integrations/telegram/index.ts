import { defineProvider } from '../provider';
import { TelegramNormalizer } from './telegram.normalizer';

/** Telegram Bot API webhooks at POST /api/v1/integrations/telegram/{source_id}. */
export const telegram = defineProvider({
  id: 'telegram',
  name: 'Telegram',
  defaultScheme: 'telegram',
  normalizer: new TelegramNormalizer(),
  ingestPath: (source) => `/api/v1/integrations/telegram/${source.id}`,
});
