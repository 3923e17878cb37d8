import { ApiError } from '../common/api-error';
import type { Provider } from '../integrations/providers';
import type { Source } from './source.entity';
import type { VerificationScheme } from './verification';

/**
 * Shared provider routes (docs/api.md): Kommo, YClients and Slack post every account's webhooks
 * to one URL, so the route finds its source from the request (an account, a company, an app), in any
 * tenant. Several sources, of several tenants, may match; the request belongs to the first of them,
 * oldest first, whose own verification it passes (IngestService). A source that verifies nothing
 * (`none`) could take anyone's webhooks there, so such sources are never candidates, and new ones
 * are refused for these providers.
 */

/** One `config` value a shared route looks sources up by, e.g. `company_id` = `"307626"`. */
export interface ConfigMatch {
  key: string;
  value: string;
}

/** What a shared route asks for. */
export interface SharedLookup {
  provider: Provider;
  /** A source matches when any of these holds (compared as text). */
  matches: ConfigMatch[];
  /** Drops the sources the request contradicts (Kommo: a subdomain match whose account id differs). */
  accepts?: (source: Source) => boolean;
  /** The 404 message when no source matches. */
  notFound: string;
}

/** The sources a shared route may hand a request to: active, matching, oldest first. */
export class SharedCandidates {
  constructor(
    readonly provider: Provider,
    readonly sources: readonly Source[],
  ) {}
}

/** The candidates among the sources found: 404 when none matches, 403 when every match is disabled. */
export function sharedCandidates(found: readonly Source[], lookup: SharedLookup): SharedCandidates {
  const all = lookup.accepts ? found.filter(lookup.accepts) : found;
  const matching = all.filter((source) => source.scheme !== 'none');
  if (matching.length === 0) {
    const hint =
      all.length > 0 ? ' A source with verification "none" is reachable only at /api/v1/ingest/{source_id}.' : '';
    throw new ApiError('NOT_FOUND', `${lookup.notFound}${hint}`);
  }
  const active = matching.filter((source) => source.active);
  if (active.length === 0) {
    const named = lookup.matches.map((m) => `${m.key}=${m.value}`).join(' or ');
    throw new ApiError('FORBIDDEN', `The ${lookup.provider} source for ${named} is disabled.`);
  }
  return new SharedCandidates(lookup.provider, active);
}

/** 401 for a request no source verified; the reasons never hold a secret, and name no source. */
export function notVerified(reasons: readonly string[]): ApiError {
  return new ApiError('INVALID_SIGNATURE', `The request is not verified: ${[...new Set(reasons)].join('; ')}.`);
}

/** 400 when a source of a provider with a shared route (`sharedRoute`, its path) would verify nothing. */
export function refuseUnverifiedOnSharedRoute(
  provider: Provider,
  scheme: VerificationScheme,
  sharedRoute: string | undefined,
): void {
  if (scheme !== 'none' || sharedRoute === undefined) return;
  throw ApiError.validation(`A ${provider} source must verify its requests.`, [
    {
      field: 'verification.scheme',
      message:
        `verification.scheme "none" is not allowed for ${provider} sources: ${sharedRoute} is shared by every ` +
        "tenant, and only the source's own verification tells whose webhook a request is",
    },
  ]);
}
