import { Injectable, Logger, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource, QueryFailedError } from 'typeorm';
import { ApiError } from '../common/api-error';
import { DeliveriesTenantData } from '../deliveries/deliveries.tenant-data';
import { EventsTenantData } from '../events/events.tenant-data';
import { NotificationsTenantData } from '../notifications/notifications.tenant-data';
import { SubscriptionsTenantData } from '../subscriptions/subscriptions.tenant-data';
import { IngestTenantData } from '../webhooks/ingest.tenant-data';
import { CountsByTenant, TenantDataOwner } from './tenant-data';
import { Tenant } from './tenant.entity';
import { TenantsService } from './tenants.service';

export interface TenantCounts {
  webhooks: number;
  sources: number;
  events: number;
  deliveries: number;
  api_keys: number;
}

/**
 * The features holding tenant rows, in the order a deletion empties them: each one's rows before
 * the rows they reference (notifications and deliveries before events and subscriptions, inbound
 * events before sources); the tenant's API keys and the tenant row come last (TenantsService).
 */
const DELETION_ORDER: Type<TenantDataOwner>[] = [
  NotificationsTenantData,
  DeliveriesTenantData,
  EventsTenantData,
  IngestTenantData,
  SubscriptionsTenantData,
];

/** SQLSTATEs of a transaction PostgreSQL gave up to let another go on: worth running again. */
const CONFLICT_CODES = ['40P01', '40001'];
const DELETION_TRIES = 3;

/**
 * The operator's view of tenants (ADMIN_API_KEY): the list with how much each holds, and deletion
 * of a tenant with every row of it. The features are reached through their own TenantDataOwner
 * services, wherever their modules register them (some modules depend on APP_ROLE), by ModuleRef.
 */
@Injectable()
export class TenantAdminService {
  private readonly logger = new Logger(TenantAdminService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenants: TenantsService,
    private readonly moduleRef: ModuleRef,
  ) {}

  private owner<T>(type: Type<T>): T {
    return this.moduleRef.get(type, { strict: false });
  }

  /** Tenants newest first, each with its counts (one grouped query per feature for the whole page). */
  async list(
    limit: number,
    offset: number,
  ): Promise<{ items: { tenant: Tenant; counts: TenantCounts }[]; total: number }> {
    const { items, total } = await this.tenants.list(limit, offset);
    const ids = items.map((t) => t.id);
    const [webhooks, sources, events, deliveries, apiKeys] = await Promise.all([
      this.owner(SubscriptionsTenantData).countByTenant(ids),
      this.owner(IngestTenantData).countByTenant(ids),
      this.owner(EventsTenantData).countByTenant(ids),
      this.owner(DeliveriesTenantData).countByTenant(ids),
      this.tenants.countApiKeysByTenant(ids),
    ]);
    const of = (counts: CountsByTenant, id: string): number => counts.get(id) ?? 0;
    return {
      items: items.map((tenant) => ({
        tenant,
        counts: {
          webhooks: of(webhooks, tenant.id),
          sources: of(sources, tenant.id),
          events: of(events, tenant.id),
          deliveries: of(deliveries, tenant.id),
          api_keys: of(apiKeys, tenant.id),
        },
      })),
      total,
    };
  }

  /**
   * Deletes a tenant and every row of it in one transaction, which first locks the tenant's row so
   * that nothing referencing it can be added meanwhile. Its queued jobs stay in Redis: they carry
   * ids only, and a worker taking one finds no row and does nothing. Run again when PostgreSQL
   * broke a deadlock with a worker writing the same rows.
   */
  async remove(tenantId: string): Promise<void> {
    const owners = DELETION_ORDER.map((type) => this.owner(type));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.deleteOnce(owners, tenantId);
        break;
      } catch (error) {
        const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
        if (attempt >= DELETION_TRIES || !CONFLICT_CODES.includes(code ?? '')) throw error;
        this.logger.warn(`deleting tenant ${tenantId} met a conflicting transaction (${code}); trying again`);
      }
    }
    for (const owner of owners) owner.afterTenantDeleted?.(tenantId);
    this.logger.log(`tenant ${tenantId} deleted with all its data`);
  }

  private async deleteOnce(owners: TenantDataOwner[], tenantId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.tenants.lockForDeletion(manager, tenantId))) throw ApiError.notFound('Tenant', tenantId);
      for (const owner of owners) await owner.deleteTenantData(manager, tenantId);
      await this.tenants.deleteTenantData(manager, tenantId);
    });
  }
}
