import type { Type } from '@nestjs/common';
import type { Provider } from '../webhooks/source.entity';
import { integration as generic } from './generic';
import { integration as github } from './github';
import { integration as kommo } from './kommo';
import type { Integration, ProviderNormalizer } from './provider';
import { integration as slack } from './slack';
import { integration as stripe } from './stripe';
import { integration as telegram } from './telegram';
import { integration as whatsapp } from './whatsapp';
import { integration as yclients } from './yclients';

/** Every provider Hookhub understands, one line each. */
export const INTEGRATIONS: Record<Provider, Integration> = {
  generic,
  kommo,
  yclients,
  slack,
  telegram,
  whatsapp,
  github,
  stripe,
};

export function normalizerFor(provider: Provider): ProviderNormalizer {
  return INTEGRATIONS[provider].normalizer;
}

/** The provider routes of every integration. */
export function integrationControllers(): Type<unknown>[] {
  return Object.values(INTEGRATIONS).flatMap((i) => i.controllers);
}

/** Services of every integration; worker-only ones only where workers run. */
export function integrationProviders(withWorkers: boolean): Type<unknown>[] {
  return Object.values(INTEGRATIONS)
    .flatMap((i) => i.providers ?? [])
    .filter((p) => withWorkers || !p.workerOnly)
    .map((p) => p.provide);
}
