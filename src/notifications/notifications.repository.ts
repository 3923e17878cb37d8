import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Queryable, SweptRow } from '../work/work-kind';
import type { RoutingRule } from './notification-rules.service';

/** How soon a notification given back after an unexpected error is due again. */
export const GIVE_BACK_DELAY_MS = 3_000;

/*
 * Notification sends as leased work (src/work, declared in notification.work.ts): the sweep and the
 * give-backs run on the notifications table.
 */

/** Rows swept: a job's run is the send it is for (`<id>:<attempts>`, 0 for the first). */
export const SWEEP_NOTIFICATIONS_SQL = `SELECT id, attempts AS run,
    EXTRACT(EPOCH FROM now() - next_attempt_at) * 1000 AS overdue_ms
  FROM notifications
  WHERE status IN ('queued', 'sending') AND next_attempt_at <= now() - $1 * interval '1 millisecond'
  ORDER BY next_attempt_at LIMIT $2`;

/** Notifications whose send was due `overdueMs` ago or more (queued, or sending past their lease). */
export function sweepNotifications(db: Queryable, overdueMs: number, limit: number): Promise<SweptRow[]> {
  return db.query<SweptRow[]>(SWEEP_NOTIFICATIONS_SQL, [overdueMs, limit]);
}

/** Gives a claimed notification back after an unexpected error: `queued`, due again after GIVE_BACK_DELAY_MS. */
export function releaseNotification(db: Queryable, id: string, releases: number): Promise<unknown> {
  return db.query(
    `UPDATE notifications SET status = 'queued', next_attempt_at = now() + $3 * interval '1 millisecond',
       release_count = $2
     WHERE id = $1 AND status = 'sending'`,
    [id, releases, GIVE_BACK_DELAY_MS],
  );
}

/** Ends a claimed notification `failed` with `reason` when its give-backs are exhausted. */
export function endNotification(db: Queryable, id: string, releases: number, reason: string): Promise<unknown> {
  return db.query(
    `UPDATE notifications SET status = 'failed', error = $3, next_attempt_at = NULL, release_count = $2
     WHERE id = $1 AND status = 'sending'`,
    [id, releases, reason],
  );
}

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

  /**
   * Takes a due notification for one send, with a lease of `leaseMs`; false when it is not due or
   * another worker holds it. A notification whose lease ran out is taken back, and that counts as a
   * give-back (`release_count`).
   */
  async claim(id: string, leaseMs: number): Promise<boolean> {
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE notifications SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond',
         release_count = release_count + CASE WHEN status = 'sending' THEN 1 ELSE 0 END
       WHERE id = $1 AND ((status = 'queued' AND next_attempt_at <= now() + interval '1 second')
         OR (status = 'sending' AND next_attempt_at < now()))
       RETURNING id`,
      [id, leaseMs],
    );
    return rows.length > 0;
  }
}
