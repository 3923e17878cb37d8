import { defineProvider } from '../provider';
import { WhatsappNormalizer } from './whatsapp.normalizer';

/**
 * WhatsApp Cloud API webhooks at GET (handshake) and POST /api/v1/integrations/whatsapp/{source_id},
 * verified with the Meta app secret (which Meta issues).
 */
export const whatsapp = defineProvider({
  id: 'whatsapp',
  name: 'WhatsApp',
  defaultScheme: 'whatsapp',
  issuedSecrets: ['whatsapp'],
  normalizer: new WhatsappNormalizer(),
  ingestPath: (source) => `/api/v1/integrations/whatsapp/${source.id}`,
});
