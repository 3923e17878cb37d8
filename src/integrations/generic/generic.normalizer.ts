import { isValidEventType } from '../../subscriptions/event-pattern';
import type { InboundRequest, NormalizedEvent, ProviderNormalizer } from '../provider';

const str = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' ? String(value) : null;

const objectOf = (payload: unknown): Record<string, unknown> =>
  typeof payload === 'object' && payload !== null && !Array.isArray(payload)
    ? (payload as Record<string, unknown>)
    : {};

/** `occurred_at` as ISO-8601 or unix seconds; null when absent or unreadable. */
function timeOf(value: unknown): Date | null {
  const date = typeof value === 'number' ? new Date(value * 1000) : typeof value === 'string' ? new Date(value) : null;
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

/**
 * Any sender: the event type comes from the body's `event_type` or `type`, the `X-Webhook-Event`
 * header, the route's `{kind}`, or the source's `config.default_event_type`; the body is the data;
 * `entity_type` + `entity_id` name the entity and `occurred_at` orders its changes.
 */
export class GenericNormalizer implements ProviderNormalizer {
  dedupKey(request: InboundRequest): string | null {
    const body = objectOf(request.payload);
    return (
      str(request.headers['x-webhook-event-id']) ??
      str(request.headers['idempotency-key']) ??
      str(body.event_id) ??
      null
    );
  }

  normalize(request: InboundRequest): NormalizedEvent[] {
    const body = objectOf(request.payload);
    const candidates = [
      str(body.event_type),
      str(body.type),
      str(request.headers['x-webhook-event']),
      request.kind,
      str(request.source.config.default_event_type),
    ];
    const eventType = candidates.find((c): c is string => c !== null);
    if (!eventType) {
      throw new Error(
        'no event type: send event_type or type in the body, an X-Webhook-Event header, or set config.default_event_type',
      );
    }
    if (!isValidEventType(eventType)) {
      throw new Error(`"${eventType}" is not an event type (lowercase dot-separated words such as order.created)`);
    }
    const entityType = str(body.entity_type);
    const entityId = str(body.entity_id);
    return [
      {
        eventType,
        entityType,
        entityId,
        entityKey: entityType && entityId ? `generic:${request.source.id}:${entityType}:${entityId}` : null,
        data: Array.isArray(request.payload) ? { items: request.payload } : body,
        occurredAt: timeOf(body.occurred_at),
      },
    ];
  }
}
