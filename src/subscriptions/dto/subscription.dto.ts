import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { EachMatches, IsPlainObject } from '../../common/validators';
import { isValidEventPattern } from '../event-pattern';
import { PRESETS } from '../../common/payload-template';
import { SIGNATURE_FORMATS, type SignatureFormat } from '../../common/signing';
import type { Preset } from '../subscription.entity';

/** Batch delivery: several events in one signed request whose body is a JSON array of envelopes. */
export class BatchDto {
  /** A batch leaves as soon as it holds this many events. @example 100 */
  @IsInt()
  @Min(1)
  @Max(1000)
  max_events: number;

  /** A batch leaves when its oldest event has waited this long (milliseconds), full or not. @example 5000 */
  @IsInt()
  @Min(100)
  @Max(60000)
  max_wait_ms: number;
}

export class CreateSubscriptionDto {
  /** @example "CRM sync" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  /** Where deliveries are POSTed: https (http only with ALLOW_HTTP_URLS=true); private addresses are refused. @example "https://example.com/hooks/hookhub" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url: string;

  /** Event types to receive: exact (`deal.won`), prefix wildcard (`task.*`) or `*`. @example ["deal.won", "lead.*"] */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @EachMatches(isValidEventPattern, 'an event type (deal.won), a prefix wildcard (task.*) or *')
  events: string[];

  /** Signing secret, at least 16 characters; generated as `whsec_…` when omitted. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  /** @default true */
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  /** Free-form JSON object kept with the subscription (`chat_id` here feeds the telegram preset). */
  @IsOptional()
  @IsPlainObject()
  metadata?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Authorization: 'Bearer sk_live_…', 'X-Tenant': 'acme' },
    description:
      'Extra request headers sent with every delivery, at most 50. Names are RFC 9110 tokens and may not be ' +
      "one of Hookhub's own (Content-*, Host, User-Agent, Connection, Transfer-Encoding, X-Webhook-*, X-Delivery-*, " +
      'X-Event-ID, X-Request-ID, webhook-*); values are visible US-ASCII with inner spaces or tabs, at most 2000 ' +
      'characters. Write-only: values are stored encrypted and answered as "••••".',
  })
  @IsOptional()
  @IsPlainObject()
  headers?: Record<string, string>;

  /** @minimum 1000 @maximum 30000 @default 10000 */
  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(30000)
  timeout_ms?: number;

  /** At most this many deliveries per second to this URL; unlimited when null. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(10000)
  rate_limit_per_second?: number | null;

  /** A JSON template whose strings may hold `{{path}}` placeholders into the event; its rendering replaces the envelope. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { text: 'New event {{event_type}}: {{data.title}}' },
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsPlainObject()
  payload_template?: Record<string, unknown> | null;

  @ApiPropertyOptional({ enum: PRESETS, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(PRESETS)
  preset?: Preset | null;

  /** Deliveries of one entity_key leave in the order their events were produced. @default false */
  @IsOptional()
  @IsBoolean()
  ordered?: boolean;

  /**
   * What `X-Webhook-Signature` signs: `timestamped`, `sha256=<hex HMAC-SHA256(secret, "<X-Webhook-Timestamp>.<body>")>`,
   * or `body`, `sha256=<hex HMAC-SHA256(secret, body)>` (what `hash_hmac('sha256', $body, $secret)` checks).
   * The Standard Webhooks headers are the same either way.
   */
  @ApiPropertyOptional({ enum: SIGNATURE_FORMATS, default: 'timestamped', example: 'body' })
  @IsOptional()
  @IsIn(SIGNATURE_FORMATS)
  signature_format?: SignatureFormat;

  /**
   * Send events in batches: one signed POST whose body is a JSON array of the usual envelopes, with
   * `X-Webhook-Batch-Size`. A batch leaves when it holds `max_events` events or its oldest event has
   * waited `max_wait_ms`. Null (the default) sends one event per request. Not with `payload_template` or `preset`.
   */
  @ApiPropertyOptional({ type: BatchDto, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsPlainObject()
  @ValidateNested()
  @Type(() => BatchDto)
  batch?: BatchDto | null;
}

export class UpdateSubscriptionDto extends PartialType(OmitType(CreateSubscriptionDto, ['headers'])) {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    example: { Authorization: 'Bearer sk_live_new…', 'X-Tenant': '••••', 'X-Old': null },
    description:
      'Changes the named headers only: a string sets or replaces one, null removes it, "••••" keeps its stored ' +
      'value; headers not named are kept.',
  })
  @IsOptional()
  @IsPlainObject()
  headers?: Record<string, string | null>;
}

export class LastDeliveryDto {
  @ApiProperty({ example: '2025-01-09T12:00:05.123Z' })
  at: string;
  @ApiProperty({ example: 'success' })
  status: string;
  @ApiProperty({ nullable: true, example: 200 })
  http_status: number | null;
}

export class SubscriptionDto {
  @ApiProperty({ example: 'wh_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  webhook_id: string;
  name: string;
  url: string;
  events: string[];
  active: boolean;
  description: string | null;
  metadata: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['••••'] },
    example: { Authorization: '••••' },
    description: 'The extra headers by name; values are write-only and always answered as "••••".',
  })
  headers: Record<string, string>;
  /** Whether any extra header is set. */
  has_headers: boolean;
  timeout_ms: number;
  rate_limit_per_second: number | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true })
  payload_template: unknown;
  @ApiProperty({ enum: PRESETS, nullable: true })
  preset: Preset | null;
  ordered: boolean;
  /** What `X-Webhook-Signature` signs: `"<timestamp>.<body>"` (timestamped) or the body alone (body). */
  @ApiProperty({ enum: SIGNATURE_FORMATS, example: 'timestamped' })
  signature_format: SignatureFormat;
  /** Batch delivery settings; null: one event per request. */
  @ApiProperty({ type: BatchDto, nullable: true })
  batch: BatchDto | null;
  /** Why the subscription was disabled automatically, if it was. */
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
  @ApiProperty({ type: LastDeliveryDto, nullable: true })
  last_delivery: LastDeliveryDto | null;
  /** Attempts made. */
  deliveries_count: number;
  /** Attempts that failed. */
  failures_count: number;
  /** Successful attempts in percent, 2 decimals; null before the first attempt. @example 99.5 */
  success_rate: number | null;
}

export class SubscriptionWithSecretDto extends SubscriptionDto {
  /** The signing secret. Shown in the create and rotate answers only. @example "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" */
  secret: string;
}

export class RotatedSecretDto extends SubscriptionWithSecretDto {
  /** Until then the previous secret signs beside the new one. */
  previous_secret_expires_at: string;
}

export class DeletedSubscriptionDto {
  webhook_id: string;
  @ApiProperty({ example: 'deleted' })
  status: 'deleted';
}

export class ListSubscriptionsQuery extends PageQuery {
  /** Only active (true) or inactive (false) subscriptions. */
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';

  /** Only subscriptions that would receive this event type. @example "deal.won" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  event?: string;
}
