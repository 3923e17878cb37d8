import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ColumnName, columnsOf, entityFromRow } from '../database/raw-rows';
import { Subscription } from './subscription.entity';

/** A subscription as fan-out needs it: its id and its event patterns. */
export interface FanOutTarget {
  id: string;
  events: string[];
}

/**
 * The subscriptions table's SQL that other features need (fan-out, sending, bulk retries): they ask
 * here, with ids (`= ANY`), once per group of work, instead of naming the table in their statements.
 */
@Injectable()
export class SubscriptionsRepository {
  private readonly columns: ColumnName[];

  constructor(private readonly dataSource: DataSource) {
    this.columns = columnsOf(dataSource, Subscription);
  }

  /** Each tenant's active subscriptions, as fan-out targets; a tenant without any maps to []. */
  async activeTargets(tenantIds: readonly string[]): Promise<Map<string, FanOutTarget[]>> {
    const unique = [...new Set(tenantIds)];
    const targets = new Map<string, FanOutTarget[]>(unique.map((t) => [t, []]));
    if (unique.length === 0) return targets;
    const rows = await this.dataSource.query<{ tenant_id: string; id: string; events: string[] }[]>(
      `SELECT tenant_id, id, events FROM subscriptions
       WHERE tenant_id = ANY($1::text[]) AND active AND deleted_at IS NULL`,
      [unique],
    );
    for (const row of rows) targets.get(row.tenant_id)!.push({ id: row.id, events: row.events });
    return targets;
  }

  /**
   * The subscriptions with these ids (deleted ones included), by id (plain SQL: it is on the claims'
   * path); an id whose row is gone is absent.
   */
  async byIds(ids: readonly string[]): Promise<Map<string, Subscription>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM subscriptions WHERE id = ANY($1::text[])',
      [unique],
    );
    return new Map(rows.map((row) => [row.id as string, entityFromRow<Subscription>(this.columns, row)]));
  }

  /** The ids of a tenant's subscriptions that are enabled and not deleted. */
  async activeIds(tenantId: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM subscriptions WHERE tenant_id = $1 AND active AND deleted_at IS NULL',
      [tenantId],
    );
    return rows.map((r) => r.id);
  }
}
