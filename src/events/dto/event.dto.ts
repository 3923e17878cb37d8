import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsPlainObject } from '../../common/validators';
import { EVENT_TYPE_PATTERN } from '../../subscriptions/event-pattern';

export class PublishEventDto {
  /** @example "deal.won" */
  @IsString()
  @MaxLength(200)
  @Matches(EVENT_TYPE_PATTERN, { message: 'event_type must be lowercase dot-separated words, e.g. deal.won' })
  event_type: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { deal_id: 42, amount: '1500.00' } })
  @IsPlainObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { source: 'crm' } })
  @IsOptional()
  @IsPlainObject()
  metadata?: Record<string, unknown>;

  /** The entity the event is about (`<provider>:<account>:<entity>:<id>`); endpoints with `ordered: true` receive one entity's events in order. @example "crm:acme:deal:42" */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  entity_key?: string;

  /** The same key within 24 h answers the first event again and creates nothing (the Idempotency-Key header works too). */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  idempotency_key?: string;
}

export class PublishedEventDto {
  @ApiProperty({ example: 'evt_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  event_id: string;
  event_type: string;
  /** Subscriptions that will receive it. */
  matched_webhooks: number;
}

export class EventDeliveryDto {
  delivery_id: string;
  webhook_id: string;
  status: string;
  attempt: number;
  http_status: number | null;
  next_attempt_at: string | null;
  created_at: string;
}

export class EventDto {
  event_id: string;
  event_type: string;
  @ApiProperty({ type: 'object', additionalProperties: true })
  data: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true })
  metadata: Record<string, unknown>;
  @ApiProperty({ enum: ['api', 'inbound', 'system'] })
  source: string;
  idempotency_key: string | null;
  entity_key: string | null;
  created_at: string;
  deliveries: EventDeliveryDto[];
}

export class EventTypeDto {
  /** @example "deal.won" */
  event_type: string;
  description: string | null;
  /** Whether this tenant has published it in the last 30 days. */
  seen: boolean;
}
