import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsPlainObject } from '../../common/validators';
import { PROVIDERS, Provider } from '../../integrations/providers';
import { VERIFICATION_SCHEMES, VerificationScheme } from '../verification/verifier';

export class VerificationDto {
  /** How requests prove they come from the provider; defaults by provider (url-token for Kommo and YClients, the provider's own scheme for the others, hmac-sha256 for generic). `none` must be asked for explicitly. */
  @ApiProperty({ enum: VERIFICATION_SCHEMES, example: 'hmac-sha256' })
  @IsIn(VERIFICATION_SCHEMES)
  scheme: VerificationScheme;

  /** The shared secret or token; generated when omitted for schemes where Hookhub may choose it. */
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(500)
  secret?: string;

  /** Header-name override: the token header for shared-token, the signature header for hmac-sha256(-body). @example "X-Signature" */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,100}$/, { message: 'header must be a header name (letters, digits, -)' })
  header?: string;

  /** Accepted clock difference for timestamped schemes. @default 300 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  tolerance_s?: number;
}

export class CreateSourceDto {
  /** @example "Kommo main account" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: PROVIDERS, example: 'generic' })
  @IsIn(PROVIDERS)
  provider: Provider;

  /** How requests are verified; defaults by provider when omitted. */
  @IsOptional()
  @IsPlainObject()
  @ValidateNested()
  @Type(() => VerificationDto)
  verification?: VerificationDto;

  /** Provider settings: `rate_limit_per_second`, `max_retries` (default 3), `default_event_type`, and the integration's own keys. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { rate_limit_per_second: 50, max_retries: 3 },
  })
  @IsOptional()
  @IsPlainObject()
  config?: Record<string, unknown>;

  /** @default true */
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateSourceDto extends PartialType(CreateSourceDto) {}

export class ListSourcesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PROVIDERS })
  @IsOptional()
  @IsIn(PROVIDERS)
  provider?: Provider;
}

export class SourceVerificationDto {
  @ApiProperty({ enum: VERIFICATION_SCHEMES })
  scheme: VerificationScheme;
  header: string | null;
  tolerance_s: number;
}

export class SourceDto {
  @ApiProperty({ example: 'src_01jd8x4m2k7q9w3e5r6t8y0u1i' })
  source_id: string;
  name: string;
  @ApiProperty({ enum: PROVIDERS })
  provider: Provider;
  verification: SourceVerificationDto;
  @ApiProperty({ type: 'object', additionalProperties: true })
  config: Record<string, unknown>;
  active: boolean;
  /** Where the provider sends; carries `?token=` for the url-token scheme. @example "https://hookhub.example.com/api/v1/ingest/src_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  ingest_url: string;
  /**
   * Why the newest failed processing run of one of its inbound events failed (retried or final), null
   * when none has failed. A later success does not clear it: compare `last_error_at` with the inbound
   * event history (`GET /inbound-events?source_id=…&status=failed`).
   * @example "no event type: send event_type or type in the body, an X-Webhook-Event header, or set config.default_event_type"
   */
  @ApiProperty({ type: 'string', nullable: true })
  last_error: string | null;
  /** When that run failed. @example "2025-01-09T12:00:05.123Z" */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  last_error_at: string | null;
  created_at: string;
  updated_at: string;
}

export class SourceWithSecretDto extends SourceDto {
  /** The verification secret. Shown in the create answer only (and inside ingest_url for url-token). */
  @ApiProperty({ nullable: true })
  secret: string | null;
}

export class DeletedSourceDto {
  source_id: string;
  @ApiProperty({ example: 'deleted' })
  status: 'deleted';
}
