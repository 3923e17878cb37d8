import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RoutingRule } from './notification-rules.service';

/**
 * The notification tables' SQL that is asked for by groups of work: the routing rules of every
 * tenant in a group, in one statement (`= ANY`).
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Each tenant's active rules, as routing needs them; a tenant without any maps to []. */
  async routingRules(tenantIds: readonly string[]): Promise<Map<string, RoutingRule[]>> {
    const unique = [...new Set(tenantIds)];
    const rules = new Map<string, RoutingRule[]>(unique.map((t) => [t, []]));
    if (unique.length === 0) return rules;
    const rows = await this.dataSource.query<(RoutingRule & { tenantId: string })[]>(
      `SELECT tenant_id AS "tenantId", id, event_types AS "eventTypes", conditions, channel FROM notification_rules
       WHERE tenant_id = ANY($1::text[]) AND active AND deleted_at IS NULL`,
      [unique],
    );
    for (const { tenantId, ...rule } of rows) rules.get(tenantId)!.push(rule);
    return rules;
  }
}
