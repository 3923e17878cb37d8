import type { Integration } from '../provider';
import { GithubNormalizer } from './github.normalizer';

/**
 * GitHub repository, organization and App webhooks. No route of its own: GitHub posts to the source's
 * `/api/v1/ingest/{source_id}` (the `ingest_url`), verified by the `github` scheme (X-Hub-Signature-256).
 */
export const integration: Integration = {
  provider: 'github',
  normalizer: new GithubNormalizer(),
  controllers: [],
};
