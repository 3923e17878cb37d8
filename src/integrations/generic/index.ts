import type { Integration } from '../provider';
import { GenericNormalizer } from './generic.normalizer';

/** Any sender, through /ingest/{source_id} and /webhooks/incoming/{kind}. */
export const integration: Integration = {
  provider: 'generic',
  normalizer: new GenericNormalizer(),
  controllers: [],
};
