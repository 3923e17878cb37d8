import { GenericNormalizer } from '../generic/generic.normalizer';
import type { Integration } from '../provider';

/** kommo traffic, read as generic traffic until its own normaliser and route are in place. */
export const integration: Integration = {
  provider: 'kommo',
  normalizer: new GenericNormalizer(),
  controllers: [],
};
