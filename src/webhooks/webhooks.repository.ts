import { Injectable } from '@nestjs/common';
import { deleteInBatches } from '../database/batched-delete';
import { DataSource, EntityManager } from 'typeorm';
import { aliasedColumns, ColumnName, columnsOf, entityFromRow } from '../database/raw-rows';
import { InboundEvent } from './inbound-event.entity';
import { Source } from './source.entity';
import type { Queryable, SweptRow } from '../work/work-kind';
import { buildExistingLookup, buildInsert, InboundRow } from './ingest-batch';
import type { ConfigMatch } from './shared-route';

/*
 * Inbound processing as leased work (src/work, declared in inbound.work.ts): the sweep and the
 * give-back run on the inbound_events table.
 */

/** Rows swept: a job's run is the retry it is for (`<id>:<retry_count>`, 0 for the first run). */
export const SWEEP_INBOUND_SQL = `SELECT id, retry_count AS run,
    EXTRACT(EPOCH FROM now() - next_retry_at) * 1000 AS overdue_ms
  FROM inbound_events
  WHERE status IN ('pending', 'retrying', 'processing') AND next_retry_at <= now() - $1 * interval '1 millisecond'
  ORDER BY next_retry_at LIMIT $2`;

/** Inbound events whose run was due `overdueMs` ago or more (pending, retrying, or processing past their lease). */
export function sweepInbound(db: Queryable, overdueMs: number, limit: number): Promise<SweptRow[]> {
  return db.query<SweptRow[]>(SWEEP_INBOUND_SQL, [overdueMs, limit]);
}

/** Gives a claimed run back after an unexpected error: `retrying`, due again in 3 s, `release_count = $2`. */
export function releaseInbound(db: Queryable, id: string, releases: number): Promise<unknown> {
  return db.query(
    `UPDATE inbound_events SET status = 'retrying', next_retry_at = now() + interval '3 seconds', release_count = $2
     WHERE id = $1 AND status = 'processing'`,
    [id, releases],
  );
}

/**
 * The incoming-webhook tables' SQL: the processing's claim and completion, and what other features
 * need (retention, the providers' reconcilers), who ask here instead of naming sources or
 * inbound_events in their own statements.
 */
@Injectable()
export class WebhooksRepository {
  private readonly inboundColumns: ColumnName[];
  private readonly sourceColumns: ColumnName[];
  private readonly claimSql: string;

  constructor(private readonly dataSource: DataSource) {
    this.inboundColumns = columnsOf(dataSource, InboundEvent);
    this.sourceColumns = columnsOf(dataSource, Source);
    // due (pending or retrying, up to a second early) or a run whose lease ran out (taking it back
    // counts as a give-back); `ran_before` is read from the row as it was
    this.claimSql = `WITH prev AS (SELECT id, processing_started_at FROM inbound_events WHERE id = ANY($1::text[])),
      claimed AS (
        UPDATE inbound_events i SET status = 'processing', processing_started_at = now(),
          next_retry_at = now() + $2 * interval '1 millisecond',
          release_count = i.release_count + CASE WHEN i.status = 'processing' THEN 1 ELSE 0 END
        FROM prev
        WHERE i.id = prev.id AND (
          (i.status IN ('pending', 'retrying') AND (i.next_retry_at IS NULL OR i.next_retry_at <= now() + interval '1 second'))
          OR (i.status = 'processing' AND i.next_retry_at < now()))
        RETURNING i.*, (prev.processing_started_at IS NOT NULL OR i.retry_count > 0) AS ran_before)
      SELECT c.*, ${aliasedColumns(this.sourceColumns, 'src', 'source__')}
      FROM claimed c LEFT JOIN sources src ON src.id = c.source_id`;
  }

  /**
   * Claims the due inbound events among `ids` for one processing run each (`processing`, with a
   * lease of `leaseMs`), in one statement, and reads each with its source (null when it is gone).
   * `ranBefore` is true when an earlier run was claimed before (a retry, a reclaimed lease, a
   * release after a database loss).
   */
  async claimInbound(
    ids: readonly string[],
    leaseMs: number,
  ): Promise<{ inbound: InboundEvent; source: Source | null; ranBefore: boolean }[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(this.claimSql, [ids, leaseMs]);
    return rows.map((row) => ({
      inbound: entityFromRow<InboundEvent>(this.inboundColumns, row),
      source:
        row.source__id === null || row.source__id === undefined
          ? null
          : entityFromRow<Source>(this.sourceColumns, row, 'source__'),
      ranBefore: row.ran_before === true,
    }));
  }

  /** Records a run's completion, in its completion transaction (`manager`). */
  async complete(
    manager: EntityManager,
    id: string,
    completion: Pick<
      InboundEvent,
      | 'status'
      | 'processedAt'
      | 'eventType'
      | 'eventSubtype'
      | 'entityType'
      | 'entityId'
      | 'entityKey'
      | 'executionContext'
    >,
  ): Promise<void> {
    await manager.query(
      `UPDATE inbound_events SET status = $2, processed_at = $3, next_retry_at = NULL, error = NULL, release_count = 0,
         event_type = $4, event_subtype = $5, entity_type = $6, entity_id = $7, entity_key = $8, execution_context = $9
       WHERE id = $1`,
      [
        id,
        completion.status,
        completion.processedAt,
        completion.eventType,
        completion.eventSubtype,
        completion.entityType,
        completion.entityId,
        completion.entityKey,
        JSON.stringify(completion.executionContext),
      ],
    );
  }

  /**
   * An entity's state (the newest provider time seen, whether the newest change deleted it), locked
   * in `manager`'s transaction until it commits; null when nothing was seen of the entity yet.
   */
  async lockEntityState(
    manager: EntityManager,
    tenantId: string,
    entityKey: string,
  ): Promise<{ lastOccurredAt: Date | null; deleted: boolean } | null> {
    const [state] = await manager.query<{ last_occurred_at: Date | null; deleted: boolean }[]>(
      `SELECT last_occurred_at, deleted FROM entity_states WHERE tenant_id = $1 AND entity_key = $2 FOR UPDATE`,
      [tenantId, entityKey],
    );
    return state ? { lastOccurredAt: state.last_occurred_at, deleted: state.deleted } : null;
  }

  /** Records an event against its entity's state: the newest provider time seen, and whether it deleted it. */
  async saveEntityState(
    manager: EntityManager,
    tenantId: string,
    entityKey: string,
    occurredAt: Date | null,
    deleting: boolean,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO entity_states (tenant_id, entity_key, last_occurred_at, deleted, updated_at)
       VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (tenant_id, entity_key) DO UPDATE SET
         last_occurred_at = GREATEST(entity_states.last_occurred_at, EXCLUDED.last_occurred_at),
         deleted = EXCLUDED.deleted, updated_at = now()`,
      [tenantId, entityKey, occurredAt, deleting],
    );
  }

  /** Sources not deleted, per tenant, as `SELECT tenant_id, count(*) AS n` rows (the admin tenant list). */
  countSourcesByTenant(tenantIds: string[]): Promise<{ tenant_id: string; n: string }[]> {
    return this.dataSource.query(
      `SELECT tenant_id, count(*) AS n FROM sources
       WHERE tenant_id = ANY($1::text[]) AND deleted_at IS NULL GROUP BY tenant_id`,
      [tenantIds],
    );
  }

  /** Deletes the tenant's sources, deleted ones included, in the tenant's deletion (`manager`). */
  async deleteSourcesOf(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query('DELETE FROM sources WHERE tenant_id = $1', [tenantId]);
  }

  /** Records a failed run's reason as its source's `last_error`, in the run's transaction (`manager`). */
  async recordSourceError(manager: EntityManager, tenantId: string, sourceId: string, reason: string): Promise<void> {
    await manager.query(`UPDATE sources SET last_error = $3, last_error_at = now() WHERE id = $1 AND tenant_id = $2`, [
      sourceId,
      tenantId,
      reason,
    ]);
  }

  /** A source by id alone, deleted ones included. */
  sourceById(id: string): Promise<Source | null> {
    return this.dataSource.getRepository(Source).findOneBy({ id });
  }

  /**
   * The active sources of a provider, across tenants, whose config holds every key of `configKeys`,
   * oldest first (the sources a provider's reconciler works through).
   */
  activeSourcesWith(provider: string, configKeys: readonly string[]): Promise<Source[]> {
    const query = this.dataSource
      .getRepository(Source)
      .createQueryBuilder('s')
      .where('s.provider = :provider AND s.deleted_at IS NULL AND s.active', { provider });
    configKeys.forEach((key, i) => query.andWhere(`s.config ->> :key${i} IS NOT NULL`, { [`key${i}`]: key }));
    return query.orderBy('s.created_at', 'ASC').getMany();
  }

  /** When the source's newest inbound event was stored; null when it has none. */
  async newestInboundAt(sourceId: string): Promise<Date | null> {
    const [row] = await this.dataSource.query<{ newest: Date | null }[]>(
      'SELECT max(created_at) AS newest FROM inbound_events WHERE source_id = $1',
      [sourceId],
    );
    return row?.newest ?? null;
  }

  /** Deletes the inbound events older than `days`, a batch per statement, with `manager` when given; answers how many. */
  async deleteInboundOlderThan(days: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return deleteInBatches(
      manager,
      `DELETE FROM inbound_events WHERE id IN (
             SELECT id FROM inbound_events WHERE created_at < now() - $1 * interval '1 day' LIMIT $2)`,
      [days],
    );
  }

  /**
   * The sources of `provider` whose config matches one of `matches`, deleted or not excepted, at most
   * `perTenant` per tenant (the active ones that verify something first), oldest first.
   */
  sharedCandidates(provider: string, matches: readonly ConfigMatch[], perTenant: number): Promise<Source[]> {
    const params: Record<string, unknown> = { provider, perTenant };
    const conditions = matches.map((m, i) => {
      params[`key${i}`] = m.key;
      params[`value${i}`] = m.value;
      return `config ->> :key${i} = :value${i}`;
    });
    // per tenant, the active sources that verify something come first
    const perTenantSql = `SELECT c.id FROM (SELECT id, row_number() OVER (PARTITION BY tenant_id
        ORDER BY active DESC, scheme = 'none', created_at, id) AS n
      FROM sources WHERE provider = :provider AND deleted_at IS NULL AND (${conditions.join(' OR ')})) c
      WHERE c.n <= :perTenant`;
    return this.dataSource
      .getRepository(Source)
      .createQueryBuilder('s')
      .where(`s.id IN (${perTenantSql})`, params)
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  /**
   * Inserts a batch of inbound events in one multi-row statement (built by ingest-batch.ts, committed
   * on its own); a row whose (source_id, dedup_key) is taken is skipped. Answers the ids inserted.
   */
  insertInbound(rows: InboundRow[]): Promise<{ id: string }[]> {
    const insert = buildInsert(rows);
    return this.dataSource.query<{ id: string }[]>(insert.sql, insert.params);
  }

  /** The stored inbound events holding the (source_id, dedup_key) of `rows`, in one statement. */
  inboundWithKeys(
    rows: Pick<InboundRow, 'sourceId' | 'dedupKey'>[],
  ): Promise<{ id: string; source_id: string; dedup_key: string }[]> {
    const lookup = buildExistingLookup(rows);
    return this.dataSource.query<{ id: string; source_id: string; dedup_key: string }[]>(lookup.sql, lookup.params);
  }
}
