import { redactExtraHeaders } from '../common/http-headers';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Delivery } from './delivery.entity';
import type { Retried } from './deliveries.service';
import { AttemptDto, DeliveryDetailDto, DeliveryDto, DeliveryLogItemDto, RetriedDeliveryDto } from './dto/delivery.dto';

export function mapDelivery(d: Delivery): DeliveryDto {
  return {
    delivery_id: d.id,
    webhook_id: d.subscriptionId,
    event_id: d.eventId,
    event_type: d.eventType,
    status: d.status,
    attempt: d.attemptCount,
    http_status: d.lastHttpStatus,
    error: d.lastError,
    next_attempt_at: d.nextAttemptAt?.toISOString() ?? null,
    last_attempt_at: d.lastAttemptAt?.toISOString() ?? null,
    original_delivery_id: d.originalDeliveryId,
    batch_id: d.batchId,
    batch_size: d.batchSize,
    created_at: d.createdAt.toISOString(),
    completed_at: d.completedAt?.toISOString() ?? null,
  };
}

/** A log item: the delivery and how long its last attempt took (null before the first one). */
export function mapDeliveryLogItem(d: Delivery, responseTimeMs: number | null): DeliveryLogItemDto {
  return { ...mapDelivery(d), response_time_ms: responseTimeMs };
}

export function mapAttempt(a: DeliveryAttempt): AttemptDto {
  return {
    attempt: a.attemptNumber,
    success: a.success,
    http_status: a.httpStatus,
    response_time_ms: a.responseTimeMs,
    error: a.error,
    error_kind: a.errorKind,
    // attempts recorded before extra headers became write-only kept their values: shown by name only too
    request: { url: a.requestUrl, headers: redactExtraHeaders(a.requestHeaders), body: a.requestBody },
    response: { status: a.httpStatus, headers: a.responseHeaders, body: a.responseBody },
    created_at: a.createdAt.toISOString(),
  };
}

export function mapDeliveryDetail(d: Delivery, attempts: DeliveryAttempt[]): DeliveryDetailDto {
  const mapped = attempts.map(mapAttempt);
  const last = mapped[mapped.length - 1];
  return {
    ...mapDeliveryLogItem(d, last?.response_time_ms ?? null),
    request: last?.request ?? null,
    response: last?.response ?? null,
    attempts: mapped,
  };
}

/** The answer of a retry of `requestedId`: the delivery that will be sent and its next attempt. */
export function mapRetried(requestedId: string, { delivery, attempt }: Retried): RetriedDeliveryDto {
  return {
    delivery_id: delivery.id,
    original_delivery_id: requestedId,
    status: 'queued',
    attempt,
    scheduled_for: (delivery.nextAttemptAt ?? new Date()).toISOString(),
  };
}
