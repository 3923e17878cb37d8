import { ApiKey } from './api-key.entity';
import { ApiKeyDto, CreatedApiKeyDto, TenantDto } from './dto/tenant.dto';
import { Tenant } from './tenant.entity';

export function mapTenant(tenant: Tenant): TenantDto {
  return {
    tenant_id: tenant.id,
    name: tenant.name,
    timezone: tenant.timezone,
    locale: tenant.locale,
    created_at: tenant.createdAt.toISOString(),
  };
}

export function mapApiKey(apiKey: ApiKey, key: string): CreatedApiKeyDto {
  return {
    tenant_id: apiKey.tenantId,
    api_key_id: apiKey.id,
    name: apiKey.name,
    api_key: key,
    prefix: apiKey.prefix,
    created_at: apiKey.createdAt.toISOString(),
  };
}

/** A key as lists show it: its prefix, never the key or its hash. */
export function mapListedApiKey(apiKey: ApiKey): ApiKeyDto {
  return {
    api_key_id: apiKey.id,
    name: apiKey.name,
    prefix: apiKey.prefix,
    created_at: apiKey.createdAt.toISOString(),
    last_used_at: apiKey.lastUsedAt?.toISOString() ?? null,
  };
}
