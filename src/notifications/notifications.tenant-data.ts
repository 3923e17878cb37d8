import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TenantDataOwner } from '../tenants/tenant-data';

/**
 * The notification rules and notifications of tenants, as tenant deletion removes them. Queued
 * sends are left in Redis: a job carries only a notification id, so once the row is gone the
 * worker finds nothing to send.
 */
@Injectable()
export class NotificationsTenantData implements TenantDataOwner {
  /** Deletes the tenant's notifications, then its rules (deleted ones included). */
  async deleteTenantData(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('DELETE FROM notifications WHERE tenant_id = $1', [tenantId]);
    await manager.query('DELETE FROM notification_rules WHERE tenant_id = $1', [tenantId]);
  }
}
