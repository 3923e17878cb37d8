import { SubscriptionDto } from './dto/subscription.dto';
import { maskHeaders } from './subscription-headers';
import { Subscription } from './subscription.entity';

/** Success rate in percent with 2 decimals; null before the first attempt. */
export function successRate(attempts: number, successes: number): number | null {
  return attempts === 0 ? null : Math.round((successes / attempts) * 10_000) / 100;
}

export function mapSubscription(s: Subscription): SubscriptionDto {
  return {
    webhook_id: s.id,
    name: s.name,
    url: s.url,
    events: s.events,
    active: s.active,
    description: s.description,
    metadata: s.metadata,
    headers: maskHeaders(s.headers),
    has_headers: Object.keys(s.headers).length > 0,
    timeout_ms: s.timeoutMs,
    rate_limit_per_second: s.rateLimitPerSecond,
    payload_template: s.payloadTemplate ?? null,
    preset: s.preset,
    ordered: s.ordered,
    signature_format: s.signatureFormat,
    batch:
      s.batchMaxEvents === null || s.batchMaxWaitMs === null
        ? null
        : { max_events: s.batchMaxEvents, max_wait_ms: s.batchMaxWaitMs },
    disabled_reason: s.disabledReason,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
    last_delivery: s.lastDeliveryAt
      ? { at: s.lastDeliveryAt.toISOString(), status: s.lastDeliveryStatus ?? 'unknown', http_status: s.lastHttpStatus }
      : null,
    deliveries_count: s.deliveriesCount,
    failures_count: s.failuresCount,
    success_rate: successRate(s.deliveriesCount, s.successesCount),
  };
}
