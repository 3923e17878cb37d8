import { defineProvider } from '../provider';
import { StripeNormalizer } from './stripe.normalizer';

/**
 * Stripe webhook endpoints (account and Connect). No route of its own: Stripe posts to the source's
 * `/api/v1/ingest/{source_id}` (the `ingest_url`), verified by the `stripe` scheme (Stripe-Signature)
 * with the endpoint's signing secret, which Stripe issues.
 */
export const stripe = defineProvider({
  id: 'stripe',
  name: 'Stripe',
  defaultScheme: 'stripe',
  issuedSecrets: ['stripe'],
  normalizer: new StripeNormalizer(),
});
