import type { EntityManager } from 'typeorm';

/** Rows of one feature per tenant id, for the admin tenant list; a tenant with none is absent. */
export type CountsByTenant = Map<string, number>;

/**
 * What one feature keeps per tenant, as the tenants feature asks for it: each feature implements
 * this in its own folder, over its own tables, and registers it in its module.
 */
export interface TenantDataOwner {
  /**
   * Deletes every row the feature holds for `tenantId`, with `manager` (the transaction that
   * deletes the tenant: src/tenants/tenant-admin.service.ts, which calls the owners in an order
   * where children go before the rows they reference).
   */
  deleteTenantData(manager: EntityManager, tenantId: string): Promise<void>;

  /** Called once the deletion has committed: drop what this process keeps in memory of the tenant. */
  afterTenantDeleted?(tenantId: string): void;
}

/** Groups `SELECT tenant_id, count(*) AS n … GROUP BY tenant_id` rows into a map. */
export function countsByTenant(rows: { tenant_id: string; n: string | number }[]): CountsByTenant {
  return new Map(rows.map((row) => [row.tenant_id, Number(row.n)]));
}
