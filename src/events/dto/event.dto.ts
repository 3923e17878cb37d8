import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { KeysetQuery } from '../../common/pagination';
import { IsPlainObject, NotBeforeSince } from '../../common/validators';
import { EVENT_TYPE_PATTERN, IsEventPattern } from '../../subscriptions/event-pattern';

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
  /** @example "dlv_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  delivery_id: string;
  /** @example "wh_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  webhook_id: string;
  /** @example "success" */
  status: string;
  /** Attempts made so far. @example 1 */
  attempt: number;
  /** The status code of the last attempt's answer; null before one or when none came. @example 200 */
  http_status: number | null;
  /** When the next attempt is due; null when none is. @example null */
  next_attempt_at: string | null;
  /** @example "2025-01-09T12:00:05.123Z" */
  created_at: string;
}

/** An event as it was published (or produced by an inbound webhook). */
export class EventSummaryDto {
  /** @example "evt_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  event_id: string;
  /** @example "deal.won" */
  event_type: string;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { deal_id: 42, amount: '1500.00' } })
  data: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { source: 'crm' } })
  metadata: Record<string, unknown>;
  /** Who published it: the API, an inbound webhook or Hookhub itself. */
  @ApiProperty({ enum: ['api', 'inbound', 'system'], example: 'api' })
  source: string;
  /** The source whose inbound webhook produced the event; null for other events. @example null */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  source_id: string | null;
  /** The inbound event it was normalised from; null for other events. @example null */
  @ApiProperty({ type: 'string', nullable: true, example: null })
  inbound_event_id: string | null;
  /** @example "deal-42-won" */
  @ApiProperty({ type: 'string', nullable: true, example: 'deal-42-won' })
  idempotency_key: string | null;
  /** @example "crm:acme:deal:42" */
  @ApiProperty({ type: 'string', nullable: true, example: 'crm:acme:deal:42' })
  entity_key: string | null;
  /** @example "2025-01-09T12:00:05.123Z" */
  created_at: string;
}

export class EventDto extends EventSummaryDto {
  /** Every delivery of the event, oldest first. */
  deliveries: EventDeliveryDto[];
}

/** One row of the event log: the event with how many deliveries it has, without their list. */
export class EventLogItemDto extends EventSummaryDto {
  /** Deliveries of the event (retries made by hand included). @example 2 */
  deliveries_count: number;
  /** Those of its deliveries that are retrying or dead. @example 0 */
  failed_deliveries_count: number;
}

/** The query of GET /api/v1/events: filters (combined with AND), `limit` and `cursor`. */
export class ListEventsQuery extends KeysetQuery {
  /** An exact type (`deal.won`), a prefix wildcard (`deal.*`: every type starting with `deal.`) or `*`. @example "deal.*" */
  @IsOptional()
  @IsEventPattern()
  event_type?: string;

  /** Events about this entity only. @example "crm:acme:deal:42" */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  entity_key?: string;

  /** Events produced by this source's inbound webhooks only. @example "src_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  @IsOptional()
  @Matches(/^src_[0-9a-z]{26}$/, { message: 'source_id must be a source id (src_ and 26 letters or digits)' })
  source_id?: string;

  /** Created at or after this time (ISO-8601). @example "2025-01-09T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Created before this time (ISO-8601); not before `since`. @example "2025-01-10T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @NotBeforeSince()
  until?: string;

  /** Text the event data contains (keys or values, any case), at most 200 characters. @example "1500" */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  q?: string;
}

export class EventTypeDto {
  /** @example "deal.won" */
  event_type: string;
  description: string | null;
  /** Whether this tenant has published it in the last 30 days. */
  seen: boolean;
}
