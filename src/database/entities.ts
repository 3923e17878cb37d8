import { ApiKey } from '../tenants/api-key.entity';
import { Tenant } from '../tenants/tenant.entity';

/** Every entity of the one data source; a feature adds its entities here. */
export const ENTITIES = [Tenant, ApiKey];
