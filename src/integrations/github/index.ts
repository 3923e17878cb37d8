import { defineProvider } from '../provider';
import { GithubNormalizer } from './github.normalizer';

/**
 * GitHub repository, organization and App webhooks. No route of its own: GitHub posts to the source's
 * `/api/v1/ingest/{source_id}` (the `ingest_url`), verified by the `github` scheme (X-Hub-Signature-256).
 */
export const github = defineProvider({
  id: 'github',
  name: 'GitHub',
  defaultScheme: 'github',
  normalizer: new GithubNormalizer(),
});
