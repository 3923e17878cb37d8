import type { Integration } from '../provider';
import { WhatsappController } from './whatsapp.controller';
import { WhatsappNormalizer } from './whatsapp.normalizer';

/** WhatsApp Cloud API webhooks at GET (handshake) and POST /api/v1/integrations/whatsapp/{source_id}. */
export const integration: Integration = {
  provider: 'whatsapp',
  normalizer: new WhatsappNormalizer(),
  controllers: [WhatsappController],
  ingestPath: (source) => `/api/v1/integrations/whatsapp/${source.id}`,
};
