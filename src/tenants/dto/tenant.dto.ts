import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';

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
  name: string;
  /** IANA time zone of dates in notifications. @example "Europe/Moscow" */
  timezone: string;
  /** Locale of notifications and built-in templates. @example "ru" */
  locale: string;
  created_at: string;
}

export class UpdateTenantDto {
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
  /** The id of that key, to revoke it later. */
  api_key_id: string;
}

export class CreatedApiKeyDto {
  tenant_id: string;
  api_key_id: string;
  name: string | null;
  /** The new key. Shown once: store it now. */
  api_key: string;
  created_at: string;
}

export class RevokedApiKeyDto {
  api_key_id: string;
  /** @example "revoked" */
  status: 'revoked';
}
