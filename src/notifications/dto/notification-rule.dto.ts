import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
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
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { EachMatches, IsPlainObject } from '../../common/validators';
import { isValidEventPattern } from '../../subscriptions/event-pattern';
import { BUILTIN_TEMPLATE_IDS } from '../templates/builtin';
import { CHANNELS, CONDITION_OPS, ConditionOp } from '../notification-rule.entity';
import { NOTIFICATION_STATUSES, NotificationStatus } from '../notification.entity';

export class ConditionDto {
  /** A dotted path into the event. @example "data.status_id" */
  @IsString()
  @MaxLength(300)
  path: string;

  @ApiProperty({ enum: CONDITION_OPS, example: 'eq' })
  @IsIn(CONDITION_OPS)
  op: ConditionOp;

  /** The value to compare with (an array for `in`; true/false or nothing for `exists`). @example 142 */
  @ApiPropertyOptional({
    example: 142,
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }],
  })
  @IsOptional()
  value?: unknown;
}

export class CredentialsDto {
  /** Telegram bot token. */
  @IsOptional() @IsString() @MaxLength(200) bot_token?: string;
  /** WhatsApp Cloud API phone number id. */
  @IsOptional() @IsString() @MaxLength(100) phone_number_id?: string;
  /** WhatsApp Cloud API access token. */
  @IsOptional() @IsString() @MaxLength(1000) access_token?: string;
}

export class SuppressionDto {
  /** Booking suppression on booking events (default true). */
  @IsOptional() @IsBoolean() enabled?: boolean;
  /** A booking whose comment holds this text was made by our own bot: no notice. @example "#bot" */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) bot_marker?: string;
  /** A client who wrote to us within this many minutes gets no notice. @default 5 */
  @IsOptional() @IsInt() @Min(0) @Max(1440) active_client_minutes?: number;
}

export class WhatsAppTemplateDto {
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @IsString() @IsNotEmpty() @MaxLength(20) language: string;
  /** Body parameters, each a template (Handlebars) rendered from the event. */
  @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @MaxLength(10_000, { each: true }) parameters: string[];
}

export class CreateNotificationRuleDto {
  /** @example "Booking confirmations" */
  @IsString() @IsNotEmpty() @MaxLength(200) name: string;

  /** Event type patterns: exact, `prefix.*` or `*`. @example ["record.created"] */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @EachMatches(isValidEventPattern, 'an event type (record.created), a prefix wildcard (record.*) or *')
  event_types: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsPlainObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions?: ConditionDto[];

  @ApiProperty({ enum: CHANNELS, example: 'telegram' })
  @IsIn(CHANNELS)
  channel: (typeof CHANNELS)[number];

  /** A fixed chat id, Slack incoming-webhook URL or phone, or a path into the event. @example "data.client.phone" */
  @IsString() @IsNotEmpty() @MaxLength(2000) target: string;

  /** A Handlebars template (helpers: date, time, datetime, money, phone, join, default…). Give this or template_id. */
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(10_000) template?: string;

  /** A built-in template. */
  @ApiPropertyOptional({ enum: BUILTIN_TEMPLATE_IDS })
  @IsOptional()
  @IsIn(BUILTIN_TEMPLATE_IDS)
  template_id?: string;

  /** Telegram parse mode of the text. @default "MarkdownV2" */
  @ApiPropertyOptional({ enum: ['MarkdownV2', 'HTML'] })
  @IsOptional()
  @IsIn(['MarkdownV2', 'HTML'])
  parse_mode?: 'MarkdownV2' | 'HTML';

  /** Overrides the tenant's locale for this rule. @example "ru" */
  @IsOptional() @IsString() @MaxLength(20) locale?: string;

  /** Overrides the tenant's time zone for this rule. @example "Asia/Almaty" */
  @IsOptional() @IsString() @MaxLength(64) timezone?: string;

  /** Channel credentials; stored encrypted, never shown again. */
  @IsOptional() @IsPlainObject() @ValidateNested() @Type(() => CredentialsDto) credentials?: CredentialsDto;

  @IsOptional() @IsPlainObject() @ValidateNested() @Type(() => SuppressionDto) suppression?: SuppressionDto;

  /** Send a WhatsApp template message instead of text (needed outside the 24 h window). */
  @IsOptional()
  @IsPlainObject()
  @ValidateNested()
  @Type(() => WhatsAppTemplateDto)
  whatsapp_template?: WhatsAppTemplateDto;

  /** @default true */
  @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateNotificationRuleDto extends PartialType(CreateNotificationRuleDto) {}

export class NotificationRuleDto {
  @ApiProperty({ example: 'rule_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  rule_id: string;
  name: string;
  event_types: string[];
  conditions: ConditionDto[];
  @ApiProperty({ enum: CHANNELS })
  channel: string;
  target: string;
  template: string | null;
  template_id: string | null;
  parse_mode: string | null;
  locale: string | null;
  timezone: string | null;
  /** Which credentials are set (values are never shown). @example ["bot_token"] */
  credentials_set: string[];
  suppression: SuppressionDto;
  whatsapp_template: WhatsAppTemplateDto | null;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export class DeletedRuleDto {
  rule_id: string;
  @ApiProperty({ example: 'deleted' })
  status: 'deleted';
}

export class TestRuleDto {
  /** The event to render and send; a sample of the rule's first event type when omitted. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsPlainObject()
  event?: { event_type?: string; data?: Record<string, unknown> };
}

export class TestRuleResultDto {
  sent: boolean;
  rendered_text: string | null;
  target: string | null;
  provider_status: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  provider_response: unknown;
  error: string | null;
}

export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;
  @IsOptional() @IsString() @MaxLength(100) rule_id?: string;
  @IsOptional() @IsString() @MaxLength(100) event_id?: string;
  @IsOptional() @IsString() @MaxLength(200) event_type?: string;
  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: string;
  @IsOptional() @IsString() @MaxLength(100) skip_reason?: string;
}

export class NotificationDto {
  @ApiProperty({ example: 'ntf_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  notification_id: string;
  rule_id: string;
  event_id: string;
  event_type: string;
  channel: string;
  target: string | null;
  @ApiProperty({ enum: NOTIFICATION_STATUSES })
  status: NotificationStatus;
  /** Why it was not sent: made_by_bot, client_active, no_phone, stale, rule_inactive, no_target. */
  skip_reason: string | null;
  rendered_text: string | null;
  provider_status: number | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  provider_response: unknown;
  error: string | null;
  attempts: number;
  next_attempt_at: string | null;
  sent_at: string | null;
  created_at: string;
}
