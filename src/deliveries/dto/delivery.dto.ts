import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { NotBeforeSince } from '../../common/validators';
import { LOG_STATUSES, LogStatus } from '../delivery-log-query';
import { DELIVERY_STATUSES, DeliveryStatus } from '../delivery.entity';

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: LOG_STATUSES,
    example: 'failed',
    description: 'Only deliveries in this status; `failed` is `retrying` or `dead`.',
  })
  @IsOptional()
  @IsIn(LOG_STATUSES, { message: `status must be one of ${LOG_STATUSES.join(', ')}` })
  status?: LogStatus;

  /** Only deliveries of this event type (exact). @example "deal.won" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  event_type?: string;

  /** Created at or after (ISO-8601). @example "2025-01-09T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Created before (ISO-8601), not earlier than `since`. @example "2025-01-10T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @NotBeforeSince()
  until?: string;
}

export class RecoverDto {
  /**
   * Re-queue the dead, cancelled and retrying deliveries created since then (ISO-8601); 24 hours ago
   * when omitted. @example "2025-01-09T00:00:00Z"
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}

export class DeliveryDto {
  /** @example "dlv_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  delivery_id: string;
  /** The webhook endpoint it goes to. @example "wh_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  webhook_id: string;
  /** @example "evt_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  event_id: string;
  /** @example "deal.won" */
  event_type: string;
  @ApiProperty({
    enum: DELIVERY_STATUSES,
    example: 'success',
    description: 'queued → sending → success | retrying → … → dead; cancelled when its webhook is disabled or deleted.',
  })
  status: DeliveryStatus;
  /** Attempts made so far. @example 1 */
  attempt: number;
  /** The HTTP status of the last attempt; null before it or when no answer came. @example 200 */
  http_status: number | null;
  /** Why the last attempt failed. @example null */
  error: string | null;
  /** When the next attempt is due (queued and retrying deliveries). @example null */
  next_attempt_at: string | null;
  /** @example "2025-01-09T12:00:05.123Z" */
  last_attempt_at: string | null;
  /** The delivery this one sends again, when it is a retry. @example null */
  original_delivery_id: string | null;
  /** The batch this delivery was sent in (its members share status and attempts); null when sent alone or not sent yet. @example "bat_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  batch_id: string | null;
  /** How many deliveries that batch carries (`X-Webhook-Batch-Size`). @example 100 */
  batch_size: number | null;
  /** @example "2025-01-09T12:00:05.001Z" */
  created_at: string;
  /** When it ended (success, dead or cancelled). @example "2025-01-09T12:00:05.311Z" */
  completed_at: string | null;
}

/** A delivery of the log, with the time its last attempt took. */
export class DeliveryLogItemDto extends DeliveryDto {
  /** How long the last attempt took; null before the first one. @example 182 */
  response_time_ms: number | null;
}

export class AttemptRequestDto {
  /** @example "https://example.com/hooks/hookhub" */
  url: string;
  /** The request headers as sent; extra headers of the webhook show as "••••". @example {"Content-Type": "application/json", "X-Delivery-Attempt": "1"} */
  headers: Record<string, string>;
  /** The body as sent (the bytes that were signed). @example "{\"webhook_id\":\"wh_01jd8x4m2k7q9w3e5r6t8y0u1i\",\"event_type\":\"deal.won\"}" */
  body: string;
}

export class AttemptResponseDto {
  /** @example 200 */
  status: number | null;
  /** @example {"content-type": "text/plain"} */
  headers: Record<string, string>;
  /** Cut at 4 KiB. @example "ok" */
  body: string | null;
}

export class AttemptDto {
  /** @example 1 */
  attempt: number;
  /** @example true */
  success: boolean;
  /** @example 200 */
  http_status: number | null;
  /** @example 182 */
  response_time_ms: number;
  /** @example null */
  error: string | null;
  @ApiProperty({
    nullable: true,
    example: null,
    enum: [
      'timeout',
      'connection',
      'refused_address',
      'redirect',
      'http_status',
      'invalid_url',
      'body_too_large',
      'render_failed',
    ],
  })
  error_kind: string | null;
  request: AttemptRequestDto;
  response: AttemptResponseDto;
  /** @example "2025-01-09T12:00:05.123Z" */
  created_at: string;
}

export class DeliveryDetailDto extends DeliveryLogItemDto {
  /** The latest attempt's request, as sent. */
  @ApiProperty({ type: AttemptRequestDto, nullable: true })
  request: AttemptRequestDto | null;
  /** The latest attempt's response. */
  @ApiProperty({ type: AttemptResponseDto, nullable: true })
  response: AttemptResponseDto | null;
  /** Every attempt, first to last. */
  attempts: AttemptDto[];
}

export class RetriedDeliveryDto {
  /**
   * The delivery that will be sent: a new one for a finished delivery, the same one for a
   * `retrying` delivery (sent now). @example "dlv_01jd8x4m2k7q9w3e5r6t8y0u1j"
   */
  delivery_id: string;
  /** The delivery asked to be retried. @example "dlv_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  original_delivery_id: string;
  @ApiProperty({ enum: ['queued'], example: 'queued' })
  status: 'queued';
  /** The number of the attempt about to be made (1 for a new delivery). @example 1 */
  attempt: number;
  /** When it is sent: now. @example "2025-01-09T12:00:05.123Z" */
  scheduled_for: string;
}

export class RecoveredDto {
  /** Deliveries queued again. @example 3 */
  queued: number;
}

export class TestResultDto {
  /** @example "dlv_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  delivery_id: string;
  /** The webhook.test event sent. @example "evt_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  event_id: string;
  /** @example true */
  success: boolean;
  /** @example 200 */
  http_status: number | null;
  /** @example 182 */
  response_time_ms: number;
  /** @example null */
  error: string | null;
  /** Cut at 4 KiB. @example "ok" */
  response_body: string | null;
}
