import type { Event } from '../events/event.entity';
import { InboundEventDetailDto, InboundEventDto } from './dto/inbound-event.dto';
import { InboundEvent } from './inbound-event.entity';

export function payloadPreview(payload: unknown): string[] {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? Object.keys(payload).slice(0, 50)
    : [];
}

export function mapInboundEvent(e: InboundEvent): InboundEventDto {
  return {
    id: e.id,
    source_id: e.sourceId,
    provider: e.provider,
    event_type: e.eventType,
    event_subtype: e.eventSubtype,
    entity_type: e.entityType,
    entity_id: e.entityId,
    entity_key: e.entityKey,
    dedup_key: e.dedupKey,
    status: e.status,
    retry_count: e.retryCount,
    max_retries: e.maxRetries,
    error: e.error,
    payload_preview: payloadPreview(e.payload),
    execution_context: e.executionContext,
    created_at: e.createdAt.toISOString(),
    processing_started_at: e.processingStartedAt?.toISOString() ?? null,
    processed_at: e.processedAt?.toISOString() ?? null,
    next_retry_at: e.nextRetryAt?.toISOString() ?? null,
  };
}

export function mapInboundEventDetail(e: InboundEvent, produced: Event[]): InboundEventDetailDto {
  return {
    ...mapInboundEvent(e),
    headers: e.headers,
    payload: e.payload,
    events: produced.map((p) => ({
      event_id: p.id,
      event_type: p.eventType,
      entity_key: p.entityKey,
      created_at: p.createdAt.toISOString(),
    })),
  };
}
