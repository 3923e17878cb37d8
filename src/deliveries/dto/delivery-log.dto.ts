import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { KeysetQuery, QueryInteger } from '../../common/pagination';
import { IsPlainObject, NotBeforeSince } from '../../common/validators';
import { IsEventPattern } from '../../subscriptions/event-pattern';
import { DeliveryLogFilterFields, LOG_STATUSES, LogStatus } from '../delivery-log-query';

/** The longest `q`. */
export const MAX_QUERY_TEXT = 200;

/** A filter of the tenant-wide delivery log; every field optional, all combined. */
export class DeliveryLogFilterDto implements DeliveryLogFilterFields {
  /** Only deliveries to this webhook endpoint (deleted ones included). @example "wh_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  @IsOptional()
  @IsString()
  @Matches(/^wh_[0-9a-z]{1,64}$/, { message: 'webhook_id must be a webhook id (wh_…)' })
  webhook_id?: string;

  @ApiPropertyOptional({
    enum: LOG_STATUSES,
    example: 'failed',
    description: 'Only deliveries in this status; `failed` is `retrying` or `dead`.',
  })
  @IsOptional()
  @IsIn(LOG_STATUSES, { message: `status must be one of ${LOG_STATUSES.join(', ')}` })
  status?: LogStatus;

  /** An exact event type (`deal.won`), a prefix wildcard (`deal.*`, any depth) or `*`. @example "deal.*" */
  @IsOptional()
  @IsString()
  @IsEventPattern()
  event_type?: string;

  /** Only the deliveries of this event. @example "evt_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  @IsOptional()
  @IsString()
  @Matches(/^evt_[0-9a-z]{1,64}$/, { message: 'event_id must be an event id (evt_…)' })
  event_id?: string;

  @QueryInteger(100, 599, { description: 'Only deliveries whose last attempt got this HTTP status.' })
  http_status?: number;

  /** Created at or after this time (ISO-8601). @example "2025-01-09T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  /** Created before this time (ISO-8601), not earlier than `since`. @example "2025-01-10T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @NotBeforeSince()
  until?: string;

  @ApiPropertyOptional({
    maxLength: MAX_QUERY_TEXT,
    example: 'jane@example.com',
    description:
      "Text in the request body: found, case-insensitively, anywhere in the event's `data` as published (the JSON " +
      'every delivery of the event carries); at most 200 characters, 3 or more to use the index.',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_QUERY_TEXT)
  q?: string;
}

export class ListDeliveryLogQuery extends IntersectionType(DeliveryLogFilterDto, KeysetQuery) {}

export class RetryMatchingDto {
  /** The deliveries to send again, as the log's filter selects them; at least one field. */
  @ApiProperty({ type: DeliveryLogFilterDto })
  @IsDefined()
  @IsPlainObject()
  @ValidateNested()
  @Type(() => DeliveryLogFilterDto)
  filter: DeliveryLogFilterDto;
}
