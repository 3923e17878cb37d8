import { ApiKey } from './api-key.entity';
import { CreatedApiKeyDto, TenantDto } from './dto/tenant.dto';
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
    created_at: apiKey.createdAt.toISOString(),
  };
}
