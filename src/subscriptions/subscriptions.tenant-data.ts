import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CountsByTenant, countsByTenant, TenantDataOwner } from '../tenants/tenant-data';

/** The subscriptions of tenants, as the admin tenant list counts them and tenant deletion removes them. */
@Injectable()
export class SubscriptionsTenantData implements TenantDataOwner {
  constructor(private readonly dataSource: DataSource) {}

  /** Subscriptions (webhooks) not deleted, per tenant. */
  async countByTenant(tenantIds: string[]): Promise<CountsByTenant> {
    return countsByTenant(
      await this.dataSource.query(
        `SELECT tenant_id, count(*) AS n FROM subscriptions
         WHERE tenant_id = ANY($1::text[]) AND deleted_at IS NULL GROUP BY tenant_id`,
        [tenantIds],
      ),
    );
  }

  /** Deletes the tenant's subscriptions, deleted ones included (their deliveries must be gone first). */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('DELETE FROM subscriptions WHERE tenant_id = $1', [tenantId]);
  }
}
