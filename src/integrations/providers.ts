import type { VerificationScheme } from '../webhooks/verification/verifier';
import { generic } from './generic';
import { github } from './github';
import { kommo } from './kommo';
import type { ProviderDefinition, ProviderSource } from './provider';
import { slack } from './slack';
import { stripe } from './stripe';
import { telegram } from './telegram';
import { whatsapp } from './whatsapp';
import { yclients } from './yclients';

/**
 * Every provider Hookhub understands, one line each, from its folder (`<provider>/index.ts`). The
 * order is the API's: the `provider` enum of the sources and inbound events in the OpenAPI document.
 */
export const PROVIDER_DEFINITIONS = [generic, kommo, yclients, slack, telegram, whatsapp, github, stripe] as const;

/** A provider id, as sources carry it. */
export type Provider = (typeof PROVIDER_DEFINITIONS)[number]['id'];

export const PROVIDERS: readonly Provider[] = PROVIDER_DEFINITIONS.map((p) => p.id);

const BY_ID = new Map<string, ProviderDefinition>(PROVIDER_DEFINITIONS.map((p) => [p.id, p]));

/** The definition of a provider. */
export function providerDefinition(provider: Provider): ProviderDefinition {
  const definition = BY_ID.get(provider);
  if (!definition) throw new Error(`Unknown provider ${provider}`);
  return definition;
}

/** The path a source's provider posts to: its own route, or `/api/v1/ingest/{source_id}`. */
export function ingestPathOf(source: ProviderSource & { provider: Provider }): string {
  return providerDefinition(source.provider).ingestPath?.(source) ?? `/api/v1/ingest/${source.id}`;
}

/** Schemes whose secret a provider issues (every provider's `issuedSecrets`): Hookhub cannot generate one. */
export const PROVIDER_ISSUED_SCHEMES: ReadonlySet<VerificationScheme> = new Set(
  PROVIDER_DEFINITIONS.flatMap((p): readonly VerificationScheme[] => p.issuedSecrets ?? []),
);
