import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQuery } from '../../common/pagination';

export class CreateTenantDto {
  /** The tenant's display name. @example "Acme Salons" */
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

export class CreateApiKeyDto {
  /** A label to recognise the key by. @example "production worker" */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class TenantDto {
  /** @example "ten_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  tenant_id: string;
  /** @example "Acme Salons" */
  name: string;
  /** IANA time zone of dates in notifications. @example "Europe/Moscow" */
  timezone: string;
  /** Locale of notifications and built-in templates. @example "ru" */
  locale: string;
  /** @example "2025-01-09T12:00:05.123Z" */
  created_at: string;
}

export class UpdateTenantDto {
  /** The tenant's display name. @example "Acme Salons" */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  /** IANA time zone. @example "Europe/Moscow" */
  @ApiPropertyOptional({ example: 'Europe/Moscow' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  /** `ru`, `en` or another BCP 47 tag. @example "ru" */
  @IsOptional()
  @IsString()
  @MaxLength(20)
  locale?: string;
}

export class CreatedTenantDto extends TenantDto {
  /** The tenant's first API key. Shown once: store it now. @example "hh_3mYq…" */
  api_key: string;
  /** The id of that key, to revoke it later. @example "key_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  api_key_id: string;
}

export class CreatedApiKeyDto {
  /** @example "ten_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  tenant_id: string;
  /** @example "key_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  api_key_id: string;
  /** @example "production worker" */
  @ApiProperty({ type: 'string', nullable: true })
  name: string | null;
  /** The new key. Shown once: store it now. @example "hh_3mYqK8…" */
  api_key: string;
  /** The key's first 10 characters, as key lists show it. @example "hh_3mYqK8w" */
  prefix: string;
  /** @example "2025-01-09T12:00:05.123Z" */
  created_at: string;
}

export class RevokedApiKeyDto {
  /** @example "key_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  api_key_id: string;
  /** @example "revoked" */
  status: 'revoked';
}

/** One API key as lists show it: never the key itself nor its hash. */
export class ApiKeyDto {
  /** @example "key_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  api_key_id: string;
  /** @example "production worker" */
  @ApiProperty({ type: 'string', nullable: true })
  name: string | null;
  /** The key's first 10 characters, to tell keys apart. @example "hh_3mYqK8w" */
  prefix: string;
  /** @example "2025-01-09T12:00:05.123Z" */
  created_at: string;
  /** When the key last authenticated a request (kept to the minute); null when never. @example "2025-01-10T08:30:00.000Z" */
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true })
  last_used_at: string | null;
}

export class ListApiKeysQuery extends PageQuery {}

export class ListTenantsQuery extends PageQuery {}

/** How many rows a tenant holds, per kind. */
export class TenantCountsDto {
  /** Subscriptions (outgoing webhooks), deleted ones left out. @example 3 */
  webhooks: number;
  /** Sources of incoming webhooks, deleted ones left out. @example 2 */
  sources: number;
  /** Stored events (within RETENTION_DAYS). @example 1520 */
  events: number;
  /** Deliveries of every status. @example 4310 */
  deliveries: number;
  /** API keys that work (revoked ones left out). @example 2 */
  api_keys: number;
}

export class TenantSummaryDto extends TenantDto {
  /** How many rows the tenant holds, per kind. @example {"webhooks": 3, "sources": 2, "events": 1520, "deliveries": 4310, "api_keys": 2} */
  counts: TenantCountsDto;
}

export class DeletedTenantDto {
  /** @example "ten_01jd8x4m2k7q9w3e5r6t8y0u1i" */
  tenant_id: string;
  /** @example "deleted" */
  status: 'deleted';
}
