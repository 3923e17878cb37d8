import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CountsByTenant, countsByTenant, TenantDataOwner } from '../tenants/tenant-data';

/** The events of tenants, as the admin tenant list counts them and tenant deletion removes them. */
@Injectable()
export class EventsTenantData implements TenantDataOwner {
  constructor(private readonly dataSource: DataSource) {}

  /** Stored events (within RETENTION_DAYS), per tenant. */
  async countByTenant(tenantIds: string[]): Promise<CountsByTenant> {
    return countsByTenant(
      await this.dataSource.query(
        'SELECT tenant_id, count(*) AS n FROM events WHERE tenant_id = ANY($1::text[]) GROUP BY tenant_id',
        [tenantIds],
      ),
    );
  }

  /** Deletes the tenant's events (their deliveries and notifications must be gone first). */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('DELETE FROM events WHERE tenant_id = $1', [tenantId]);
  }
}
