import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CountsByTenant, countsByTenant, TenantDataOwner } from '../tenants/tenant-data';

/**
 * The deliveries and attempts of tenants, as the admin tenant list counts them and tenant deletion
 * removes them. Queued jobs are left in Redis: they carry only a delivery id, so once the row is
 * gone the worker's claim finds nothing and the job ends without sending.
 */
@Injectable()
export class DeliveriesTenantData implements TenantDataOwner {
  constructor(private readonly dataSource: DataSource) {}

  /** Deliveries of every status, per tenant. */
  async countByTenant(tenantIds: string[]): Promise<CountsByTenant> {
    return countsByTenant(
      await this.dataSource.query(
        'SELECT tenant_id, count(*) AS n FROM deliveries WHERE tenant_id = ANY($1::text[]) GROUP BY tenant_id',
        [tenantIds],
      ),
    );
  }

  /** Deletes the tenant's delivery attempts, then its deliveries. */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(
      'DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM deliveries WHERE tenant_id = $1)',
      [tenantId],
    );
    await manager.query('DELETE FROM deliveries WHERE tenant_id = $1', [tenantId]);
  }
}
