import type { Provider } from '../webhooks/source.entity';
import { GenericNormalizer } from './generic/generic.normalizer';
import type { ProviderNormalizer } from './provider';

const generic = new GenericNormalizer();

/** Provider id → its normaliser; providers without their own folder yet are read as generic traffic. */
const NORMALIZERS: Partial<Record<Provider, ProviderNormalizer>> = {
  generic,
};

export function normalizerFor(provider: Provider): ProviderNormalizer {
  return NORMALIZERS[provider] ?? generic;
}
