import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { DELIVERY_STATUSES, DeliveryStatus } from '../delivery.entity';

export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  /** @example "deal.won" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  event_type?: string;

  /** Created at or after (ISO-8601). @example "2025-01-09T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Created before (ISO-8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

export class RecoverDto {
  /** Re-queue every dead delivery created since then (ISO-8601). @example "2025-01-09T00:00:00Z" */
  @IsISO8601({ strict: true })
  since: string;
}

export class DeliveryDto {
  @ApiProperty({ example: 'dlv_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  delivery_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;
  /** Attempts made so far. */
  attempt: number;
  http_status: number | null;
  error: string | null;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  original_delivery_id: string | null;
  /** The batch this delivery was sent in (its members share status and attempts); null when sent alone or not sent yet. @example "bat_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  batch_id: string | null;
  /** How many deliveries that batch carries (`X-Webhook-Batch-Size`). @example 100 */
  batch_size: number | null;
  created_at: string;
  completed_at: string | null;
}

export class AttemptRequestDto {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export class AttemptResponseDto {
  status: number | null;
  headers: Record<string, string>;
  /** Cut at 4 KiB. */
  body: string | null;
}

export class AttemptDto {
  attempt: number;
  success: boolean;
  http_status: number | null;
  response_time_ms: number;
  error: string | null;
  @ApiProperty({
    nullable: true,
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
  created_at: string;
}

export class DeliveryDetailDto extends DeliveryDto {
  /** The latest attempt's request, as sent. */
  @ApiProperty({ type: AttemptRequestDto, nullable: true })
  request: AttemptRequestDto | null;
  /** The latest attempt's response. */
  @ApiProperty({ type: AttemptResponseDto, nullable: true })
  response: AttemptResponseDto | null;
  attempts: AttemptDto[];
}

export class RetriedDeliveryDto {
  delivery_id: string;
  original_delivery_id: string;
  @ApiProperty({ example: 'queued' })
  status: 'queued';
  @ApiProperty({ example: 1 })
  attempt: number;
  scheduled_for: string;
}

export class RecoveredDto {
  /** Deliveries queued again. */
  queued: number;
}

export class TestResultDto {
  delivery_id: string;
  event_id: string;
  success: boolean;
  http_status: number | null;
  response_time_ms: number;
  error: string | null;
  /** Cut at 4 KiB. */
  response_body: string | null;
}
