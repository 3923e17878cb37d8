import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ColumnName, columnsOf, entityFromRow } from '../database/raw-rows';
import { Subscription } from './subscription.entity';
import type { StoredHeaders } from './subscription-headers';
import type { StatsDelta } from './subscription-stats';

/** Rows with an extra header value not of the sealed form `v1.…` (checked exactly in code). */
const PLAIN_HEADERS_SQL = `SELECT id, headers FROM subscriptions
  WHERE EXISTS (SELECT 1 FROM jsonb_each_text(headers) h WHERE h.value !~ '^v1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$')`;

/** A subscription as fan-out needs it: its id and its event patterns. */
export interface FanOutTarget {
  id: string;
  events: string[];
}

/**
 * The subscriptions table's plain SQL: the stats written by groups of attempts, the sealing of
 * plain header values, and what other features need (fan-out, sending, bulk retries), who ask here,
 * with ids (`= ANY`), once per group of work, instead of naming the table in their statements.
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

  /**
   * Applies the stats changes of several subscriptions in one statement (in `manager`'s transaction
   * when it has one), locking the rows in id order so that two writers never deadlock; answers the
   * failure streak of each row written. The lock is FOR NO KEY UPDATE, the one an UPDATE of non-key
   * columns takes anyway: it does not wait for the transactions inserting deliveries of the
   * subscription, whose foreign-key checks hold FOR KEY SHARE on its row. FOR UPDATE did, and every
   * new delivery then queued behind the waiting stats write: at 500 events/s to one subscription
   * each flush waited about a second and held the whole pipeline up (docs/benchmarks.md).
   */
  async applyStats(
    manager: EntityManager,
    deltas: Map<string, StatsDelta>,
  ): Promise<{ id: string; consecutive_dead: number; failing_since: Date | null }[]> {
    const ids: string[] = [];
    const columns: unknown[][] = [[], [], [], [], [], [], [], [], []];
    for (const [id, d] of deltas) {
      ids.push(id);
      const values = [d.attempts, d.failures, d.successes, d.reset, d.dead, d.failingSince, d.lastAt, d.lastStatus];
      values.push(d.lastHttpStatus);
      values.forEach((value, i) => columns[i].push(value));
    }
    const [rows] = await manager.query<
      [{ id: string; consecutive_dead: number; failing_since: Date | null }[], number]
    >(
      `WITH v AS (
         SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::bool[], $6::int[],
                              $7::timestamptz[], $8::timestamptz[], $9::text[], $10::int[])
           AS t(id, attempts, failures, successes, reset, dead, failing_since, last_at, last_status, last_http_status)
       ), locked AS (
         SELECT s.id FROM subscriptions s WHERE s.id IN (SELECT id FROM v) ORDER BY s.id FOR NO KEY UPDATE
       )
       UPDATE subscriptions s SET
         deliveries_count = s.deliveries_count + v.attempts,
         failures_count = s.failures_count + v.failures,
         successes_count = s.successes_count + v.successes,
         consecutive_dead = CASE WHEN v.reset THEN v.dead ELSE s.consecutive_dead + v.dead END,
         failing_since = CASE WHEN v.reset THEN v.failing_since ELSE COALESCE(s.failing_since, v.failing_since) END,
         last_delivery_at = CASE WHEN s.last_delivery_at IS NULL OR s.last_delivery_at <= v.last_at
           THEN v.last_at ELSE s.last_delivery_at END,
         last_delivery_status = CASE WHEN s.last_delivery_at IS NULL OR s.last_delivery_at <= v.last_at
           THEN v.last_status ELSE s.last_delivery_status END,
         last_http_status = CASE WHEN s.last_delivery_at IS NULL OR s.last_delivery_at <= v.last_at
           THEN v.last_http_status ELSE s.last_http_status END
       FROM v
       WHERE s.id = v.id AND s.id IN (SELECT id FROM locked)
       RETURNING s.id, s.consecutive_dead, s.failing_since`,
      [ids, ...columns],
    );
    return rows;
  }

  /** Candidates for sealing: rows with an extra header value not of the sealed form (checked exactly in code). */
  plainHeaderCandidates(): Promise<{ id: string; headers: StoredHeaders }[]> {
    return this.dataSource.query(PLAIN_HEADERS_SQL);
  }

  /** Writes a row's sealed headers if they are still `read`; false when the row changed meanwhile. */
  async replaceHeaders(id: string, headers: StoredHeaders, read: StoredHeaders): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      'UPDATE subscriptions SET headers = $2::jsonb WHERE id = $1 AND headers = $3::jsonb',
      [id, JSON.stringify(headers), JSON.stringify(read)],
    );
    return affected > 0;
  }
}
