import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { RoutingRule } from './notification-rules.service';

/** A notification row as the router inserts it (the other columns take their defaults). */
export interface NewNotification {
  id: string;
  tenantId: string;
  ruleId: string;
  eventId: string;
  eventType: string;
  channel: string;
  status: 'queued' | 'skipped';
  skipReason: 'stale' | null;
  nextAttemptAt: Date | null;
}

/** The columns of a routed notification, in the order of the INSERT's values. */
const NOTIFICATION_COLUMNS = [
  'id',
  'tenantId',
  'ruleId',
  'eventId',
  'eventType',
  'channel',
  'status',
  'skipReason',
  'nextAttemptAt',
] as const satisfies readonly (keyof NewNotification)[];

/**
 * The notification tables' SQL of routing: the rules of every tenant in a group of work in one
 * statement (`= ANY`), and the notifications routed for an event.
 */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Each tenant's active rules, as routing needs them, with `manager` when given (an event's
   * transaction); a tenant without any maps to [].
   */
  async routingRules(
    tenantIds: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, RoutingRule[]>> {
    const unique = [...new Set(tenantIds)];
    const rules = new Map<string, RoutingRule[]>(unique.map((t) => [t, []]));
    if (unique.length === 0) return rules;
    const rows = await manager.query<(RoutingRule & { tenantId: string })[]>(
      `SELECT tenant_id AS "tenantId", id, event_types AS "eventTypes", conditions, channel FROM notification_rules
       WHERE tenant_id = ANY($1::text[]) AND active AND deleted_at IS NULL`,
      [unique],
    );
    for (const { tenantId, ...rule } of rows) rules.get(tenantId)!.push(rule);
    return rules;
  }

  /** Inserts the notifications the router made for one event, in its transaction; a (rule, event) already routed is skipped. */
  async insertRouted(manager: EntityManager, rows: readonly NewNotification[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = NOTIFICATION_COLUMNS.length;
    await manager.query(
      `INSERT INTO notifications (id, tenant_id, rule_id, event_id, event_type, channel, status, skip_reason, next_attempt_at)
       VALUES ${rows.map((_, r) => `(${NOTIFICATION_COLUMNS.map((_c, c) => `$${r * columns + c + 1}`).join(', ')})`).join(', ')}
       ON CONFLICT DO NOTHING`,
      rows.flatMap((n) => NOTIFICATION_COLUMNS.map((c) => n[c])),
    );
  }
}
