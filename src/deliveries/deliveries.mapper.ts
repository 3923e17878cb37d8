import { redactExtraHeaders } from '../common/http-headers';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Delivery } from './delivery.entity';
import { AttemptDto, DeliveryDetailDto, DeliveryDto } from './dto/delivery.dto';

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
  return { ...mapDelivery(d), request: last?.request ?? null, response: last?.response ?? null, attempts: mapped };
}
