import { GenericNormalizer } from '../generic/generic.normalizer';
import type { Integration } from '../provider';

/** slack traffic, read as generic traffic until its own normaliser and route are in place. */
export const integration: Integration = {
  provider: 'slack',
  normalizer: new GenericNormalizer(),
  controllers: [],
};
