import type { Type } from '@nestjs/common';
import type { Provider, Source } from '../webhooks/source.entity';

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
  source: Source;
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
 * Everything Hookhub knows about one provider, exported as `integration` from
 * `src/integrations/<provider>/index.ts`; the registry lists them. Adding a provider touches its folder
 * and one line of the registry.
 */
export interface Integration {
  provider: Provider;
  normalizer: ProviderNormalizer;
  /** The provider's own routes (docs/api.md), served beside /ingest/{source_id}; they use IngestService. */
  controllers: Type<unknown>[];
  /** The path a provider posts to, shown as the source's `ingest_url` (default `/api/v1/ingest/{source_id}`). */
  ingestPath?(source: Source): string;
  /**
   * The path of the provider's route that every tenant shares (it finds the source from the request:
   * src/webhooks/shared-route.ts). Its sources may not use verification `none`.
   */
  sharedRoute?: string;
  /** Injectable services the controllers or scheduled jobs need (e.g. a reconciliation job); workers only when `workerOnly`. */
  providers?: { provide: Type<unknown>; workerOnly?: boolean }[];
}
