import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_PAGE, PageQuery, QueryInteger } from '../../common/pagination';
import { INBOUND_STATUSES, InboundStatus } from '../inbound-event.entity';
import { PROVIDERS, Provider } from '../../integrations/providers';

export class ListInboundEventsQuery extends PageQuery {
  @QueryInteger(1, MAX_PAGE, {
    description: '1-based page; when given, pagination is `{page, limit, total, total_pages}` and `offset` is ignored.',
  })
  page?: number;

  @ApiPropertyOptional({ enum: INBOUND_STATUSES })
  @IsOptional()
  @IsIn(INBOUND_STATUSES)
  status?: InboundStatus;

  @IsOptional() @IsString() @MaxLength(200) event_type?: string;
  @IsOptional() @IsString() @MaxLength(200) event_subtype?: string;
  @IsOptional() @IsString() @MaxLength(200) entity_type?: string;
  @IsOptional() @IsString() @MaxLength(200) entity_id?: string;
  @IsOptional() @IsString() @MaxLength(100) source_id?: string;

  @ApiPropertyOptional({ enum: PROVIDERS })
  @IsOptional()
  @IsIn(PROVIDERS)
  provider?: Provider;

  /** Received at or after (ISO-8601). @example "2025-01-09T00:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  start_date?: string;

  /** Received before (ISO-8601). */
  @IsOptional()
  @IsISO8601({ strict: true })
  end_date?: string;
}

export class InboundEventDto {
  @ApiProperty({ example: 'in_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  id: string;
  source_id: string;
  provider: string;
  event_type: string | null;
  event_subtype: string | null;
  entity_type: string | null;
  entity_id: string | null;
  entity_key: string | null;
  dedup_key: string;
  @ApiProperty({ enum: INBOUND_STATUSES })
  status: InboundStatus;
  retry_count: number;
  max_retries: number;
  error: string | null;
  /** The payload's top-level keys. @example ["event_type", "order"] */
  payload_preview: string[];
  @ApiProperty({ type: 'object', additionalProperties: true })
  execution_context: Record<string, unknown>;
  created_at: string;
  processing_started_at: string | null;
  processed_at: string | null;
  next_retry_at: string | null;
}

export class ProducedEventDto {
  event_id: string;
  event_type: string;
  entity_key: string | null;
  created_at: string;
}

export class InboundEventDetailDto extends InboundEventDto {
  /** Request headers as received; credentials and verification tokens redacted. */
  headers: Record<string, string>;
  @ApiProperty({ type: 'object', additionalProperties: true })
  payload: unknown;
  events: ProducedEventDto[];
}

export class RetriedInboundEventDto {
  id: string;
  @ApiProperty({ example: 'pending' })
  status: 'pending';
}
