/**
 * The contract between Hookhub's ingest pipeline (src/webhooks) and the providers
 * (src/integrations/<provider>): what a provider declares, and what its normaliser reads and
 * returns. It imports no service of either side, so both build on it without an import circle.
 */
import type { VerificationScheme } from '../webhooks/verification/verifier';

/** Settings a source may carry in `config` (docs/api.md); unknown keys are kept for integrations. */
export interface SourceConfig {
  /** Requests per second above which ingest answers 429 RATE_LIMITED. */
  rate_limit_per_second?: number;
  /** Processing retries before an inbound event is `failed` (default 3). */
  max_retries?: number;
  /** The event type of generic traffic that names none. */
  default_event_type?: string;
  [key: string]: unknown;
}

/** A source as a provider reads it (the `sources` row, src/webhooks/source.entity.ts). */
export interface ProviderSource {
  id: string;
  tenantId: string;
  scheme: VerificationScheme;
  config: SourceConfig;
}

/** What a provider's request becomes: one event to publish (docs/api.md). */
export interface NormalizedEvent {
  eventType: string;
  eventSubtype?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  /** `<provider>:<account>:<entity>:<id>`; events of one key are ordered and checked for staleness. */
  entityKey?: string | null;
  data: Record<string, unknown>;
  /** When the provider says the change happened, for ordering and staleness. */
  occurredAt?: Date | null;
  /** Notes for the history (`execution_context`), e.g. the rule-engine trigger. */
  context?: Record<string, unknown>;
}

/** A stored inbound request as the normaliser sees it. */
export interface InboundRequest {
  source: ProviderSource;
  payload: unknown;
  /** Lower-case header names, secrets redacted. */
  headers: Record<string, string>;
  /** The `{kind}` of /webhooks/incoming/{kind}, if that route received it. */
  kind: string | null;
}

/** One class per provider, picked from the registry by provider id (STYLE.md). */
export interface ProviderNormalizer {
  /** The provider's own id for this request, used to drop duplicates; null to fall back to the generic rules. */
  dedupKey(request: InboundRequest): string | null;
  /**
   * The events the request means. Reads only the request and its source, so it is deterministic:
   * throwing (no event type, a payload it cannot read) fails the inbound event at once with the
   * error's message, without retries, since a later run would throw the same; fixing the source's
   * config and retrying the inbound event by hand runs it again.
   */
  normalize(request: InboundRequest): NormalizedEvent[];
}

/**
 * A processing failure that waiting cannot fix: the inbound event is `failed` at once with this
 * message, and no retry is scheduled. The processor wraps whatever a normaliser throws in it; a
 * normaliser may throw it itself. Other failures of a run (the database refusing or timing out
 * work) are retried on INBOUND_RETRY_SCHEDULE.
 */
export class PermanentProcessingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentProcessingError';
  }
}

/**
 * Everything the ingest pipeline needs to know about one provider, exported from
 * `src/integrations/<provider>/index.ts` (made with `defineProvider`) and listed once in
 * `src/integrations/providers.ts`. Its routes and services, when it has any, are a Nest module in
 * the same folder (`<provider>.module.ts`), listed in integration-modules.ts.
 */
export interface ProviderDefinition<Id extends string = string> {
  /** The provider id of its sources (`sources.provider`). */
  id: Id;
  /** Its name in messages, e.g. "Telegram" in "Telegram source src_… was not found." */
  name: string;
  /** The verification scheme a new source of this provider gets when the request names none. */
  defaultScheme: VerificationScheme;
  /**
   * Schemes whose secret this provider issues (Slack's signing secret, Stripe's endpoint secret):
   * a source using one must be given it, since Hookhub cannot generate it.
   */
  issuedSecrets?: readonly VerificationScheme[];
  normalizer: ProviderNormalizer;
  /** The path a provider posts to, shown as the source's `ingest_url` (default `/api/v1/ingest/{source_id}`). */
  ingestPath?(source: ProviderSource): string;
  /**
   * The path of the provider's route that every tenant shares (it finds the source from the request:
   * src/webhooks/shared-route.ts). Its sources may not use verification `none`.
   */
  sharedRoute?: string;
}

/** A provider's definition, its id kept as a literal type (so that `Provider` is the union of the ids). */
export function defineProvider<const Id extends string>(definition: ProviderDefinition<Id>): ProviderDefinition<Id> {
  return definition;
}
