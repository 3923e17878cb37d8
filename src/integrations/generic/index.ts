import { defineProvider } from '../provider';
import { GenericNormalizer } from './generic.normalizer';

/** Any sender, through /ingest/{source_id} and /webhooks/incoming/{kind}. */
export const generic = defineProvider({
  id: 'generic',
  name: 'Generic',
  defaultScheme: 'hmac-sha256',
  normalizer: new GenericNormalizer(),
});
