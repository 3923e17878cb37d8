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
  ingestPath: () => YCLIENTS_WEBHOOK_PATH,
  providers: [
    { provide: YclientsReplayer, workerOnly: true },
    { provide: YclientsReconciler, workerOnly: true },
  ],
};
