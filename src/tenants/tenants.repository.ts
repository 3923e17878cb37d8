import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Tenant } from './tenant.entity';

/**
 * The tenants feature's plain SQL (api_keys and tenants): its part of a tenant's deletion, the admin
 * list's key counts, and what other features read (a tenant's locale and time zone for notifications).
 */
@Injectable()
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keys that work (not revoked), per tenant, as `SELECT tenant_id, count(*) AS n` rows. */
  countApiKeysByTenant(tenantIds: string[]): Promise<{ tenant_id: string; n: string }[]> {
    return this.dataSource.query(
      `SELECT tenant_id, count(*) AS n FROM api_keys
       WHERE tenant_id = ANY($1::text[]) AND revoked_at IS NULL GROUP BY tenant_id`,
      [tenantIds],
    );
  }

  /** Locks the tenant's row in `manager`'s transaction; false when there is no such tenant. */
  async lockForDeletion(manager: EntityManager, tenantId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query('SELECT id FROM tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    return rows.length > 0;
  }

  /** Deletes the tenant's API keys (revoked ones included) and the tenant itself, in `manager`'s transaction. */
  async deleteTenant(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('DELETE FROM api_keys WHERE tenant_id = $1', [tenantId]);
    await manager.query('DELETE FROM tenants WHERE id = $1', [tenantId]);
  }

  findById(id: string): Promise<Tenant | null> {
    return this.dataSource.getRepository(Tenant).findOneBy({ id });
  }
}
