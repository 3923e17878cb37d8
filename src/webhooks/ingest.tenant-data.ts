import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CountsByTenant, TenantDataOwner } from '../tenants/tenant-data';
import { SourcesService } from './sources.service';

/**
 * The ingest side of tenants (sources, inbound events, entity states), as tenant deletion removes
 * it. Queued processing runs are left in Redis: a job carries only an inbound event id, so once the
 * row is gone the worker's claim finds nothing to run.
 */
@Injectable()
export class IngestTenantData implements TenantDataOwner {
  constructor(private readonly sources: SourcesService) {}

  /** Sources not deleted, per tenant. */
  countByTenant(tenantIds: string[]): Promise<CountsByTenant> {
    return this.sources.countByTenant(tenantIds);
  }

  /** Deletes the tenant's inbound events and entity states, then its sources. */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('DELETE FROM inbound_events WHERE tenant_id = $1', [tenantId]);
    await manager.query('DELETE FROM entity_states WHERE tenant_id = $1', [tenantId]);
    await this.sources.deleteTenantData(manager, tenantId);
  }

  /** This process stops finding the tenant's sources at once; other API processes within INGEST_SOURCE_TTL_MS. */
  afterTenantDeleted(): void {
    this.sources.forgetAll();
  }
}
