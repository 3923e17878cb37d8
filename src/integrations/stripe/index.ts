import type { Integration } from '../provider';
import { StripeNormalizer } from './stripe.normalizer';

/**
 * Stripe webhook endpoints (account and Connect). No route of its own: Stripe posts to the source's
 * `/api/v1/ingest/{source_id}` (the `ingest_url`), verified by the `stripe` scheme (Stripe-Signature).
 */
export const integration: Integration = {
  provider: 'stripe',
  normalizer: new StripeNormalizer(),
  controllers: [],
};
