import type { Integration } from '../provider';
import { YCLIENTS_WEBHOOK_PATH, YclientsController } from './yclients.controller';
import { YclientsNormalizer } from './yclients.normalizer';
import { YclientsReconciler } from './yclients.reconciler';
import { YclientsReplayer } from './yclients.replayer';

/**
 * YClients / Altegio: notifications on POST /api/v1/integrations/yclients/webhook (source found by
 * `config.company_id`, `?token=` checked), and in workers the reconciliation job that replays the
 * records the webhooks missed.
 */
export const integration: Integration = {
  provider: 'yclients',
  normalizer: new YclientsNormalizer(),
  controllers: [YclientsController],
  // a source left with verification `none` is never taken by the shared route: it gets its own URL
  ingestPath: (source) => (source.scheme === 'none' ? `/api/v1/ingest/${source.id}` : YCLIENTS_WEBHOOK_PATH),
  sharedRoute: YCLIENTS_WEBHOOK_PATH,
  providers: [
    { provide: YclientsReplayer, workerOnly: true },
    { provide: YclientsReconciler, workerOnly: true },
  ],
};
