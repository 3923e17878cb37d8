import { defineProvider, ProviderSource } from '../provider';
import { text } from './kommo.fields';
import { KommoNormalizer } from './kommo.normalizer';

/** The route every tenant's Kommo CRM webhooks are posted to (kommo.controller.ts). */
export const KOMMO_WEBHOOK_PATH = '/api/v1/integrations/kommo/webhook';

/**
 * Where a Kommo source is told to post: the provider route when the source names its account
 * (`config.account_id` / `config.subdomain`), which is how that route finds it; otherwise, for
 * Chats API sources (`kommo-chats`, whose hooks name no CRM account), and for a source left with
 * verification `none` (which the shared route never takes), `/api/v1/ingest/{source_id}`.
 */
export function kommoIngestPath(source: ProviderSource): string {
  const namesAccount = text(source.config.account_id) !== null || text(source.config.subdomain) !== null;
  const viaRoute = namesAccount && source.scheme !== 'kommo-chats' && source.scheme !== 'none';
  return viaRoute ? KOMMO_WEBHOOK_PATH : `/api/v1/ingest/${source.id}`;
}

/**
 * Kommo / amoCRM: CRM webhooks (form bodies, `?token=` checked) at POST /api/v1/integrations/kommo/webhook,
 * and Chats API hooks (JSON, signed with the channel secret Kommo issues).
 */
export const kommo = defineProvider({
  id: 'kommo',
  name: 'Kommo',
  defaultScheme: 'url-token',
  issuedSecrets: ['kommo-chats'],
  normalizer: new KommoNormalizer(),
  ingestPath: kommoIngestPath,
  sharedRoute: KOMMO_WEBHOOK_PATH,
});
