import { defineProvider } from '../provider';
import { YclientsNormalizer } from './yclients.normalizer';

/** The route every tenant's YClients notifications are posted to (yclients.controller.ts). */
export const YCLIENTS_WEBHOOK_PATH = '/api/v1/integrations/yclients/webhook';

/**
 * YClients / Altegio: notifications on POST /api/v1/integrations/yclients/webhook (source found by
 * `config.company_id`, `?token=` checked); in workers, the reconciliation job (yclients.module.ts)
 * replays the records the webhooks missed.
 */
export const yclients = defineProvider({
  id: 'yclients',
  name: 'YClients',
  defaultScheme: 'url-token',
  normalizer: new YclientsNormalizer(),
  // a source left with verification `none` is never taken by the shared route: it gets its own URL
  ingestPath: (source) => (source.scheme === 'none' ? `/api/v1/ingest/${source.id}` : YCLIENTS_WEBHOOK_PATH),
  sharedRoute: YCLIENTS_WEBHOOK_PATH,
});
