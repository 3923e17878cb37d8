import { Injectable } from '@nestjs/common';
import { deleteInBatches } from '../database/batched-delete';
import { DataSource, EntityManager } from 'typeorm';
import { ColumnName, columnsOf, entityFromRow } from '../database/raw-rows';
import { Event } from './event.entity';
import { containsPattern } from './event-search';
import { EventLogFilter, eventLogQuery } from './event-log';
import type { EventSource } from './event.entity';

/** A row of the event log (see event-log.ts): an event's columns and its keyset position. */
export interface EventLogRow {
  id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  source: EventSource;
  source_id: string | null;
  inbound_event_id: string | null;
  idempotency_key: string | null;
  entity_key: string | null;
  trace_id: string | null;
  created_at: Date;
  position_at: string;
}

/**
 * The events table's SQL that other features need: they ask here, with ids (`= ANY`), once per group
 * of work, instead of naming the table in their own statements.
 */
@Injectable()
export class EventsRepository {
  private readonly columns: ColumnName[];

  constructor(private readonly dataSource: DataSource) {
    this.columns = columnsOf(dataSource, Event);
  }

  /**
   * Inserts an event (every column but created_at, which answers), in the caller's transaction. A
   * key another event holds answers 23505 (the unique index), which aborts the transaction.
   */
  async insert(manager: EntityManager, event: Omit<Event, 'createdAt'>): Promise<Date> {
    const [row] = await manager.query<{ created_at: Date }[]>(
      `INSERT INTO events (id, tenant_id, event_type, data, metadata, idempotency_key, source, entity_key, trace_id,
                           inbound_event_id, source_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING created_at`,
      [
        event.id,
        event.tenantId,
        event.eventType,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        event.idempotencyKey,
        event.source,
        event.entityKey,
        event.traceId,
        event.inboundEventId,
        event.sourceId,
      ],
    );
    return row.created_at;
  }

  /** Takes an idempotency key from the tenant's event holding it since `before` or earlier (its window is over). */
  async releaseIdempotencyKey(manager: EntityManager, tenantId: string, key: string, before: Date): Promise<void> {
    await manager.query(
      `UPDATE events SET idempotency_key = NULL WHERE tenant_id = $1 AND idempotency_key = $2 AND created_at <= $3`,
      [tenantId, key, before],
    );
  }

  /** The events with these ids, by id (plain SQL: it is on the claims' path); an id whose event is gone is absent. */
  async byIds(ids: readonly string[]): Promise<Map<string, Event>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM events WHERE id = ANY($1::text[])',
      [unique],
    );
    return new Map(rows.map((row) => [row.id as string, entityFromRow<Event>(this.columns, row)]));
  }

  /** One event by id alone (workers holding a delivery or a notification). */
  findById(id: string): Promise<Event | null> {
    return this.dataSource.getRepository(Event).findOneBy({ id });
  }

  /**
   * The ids of a tenant's events whose data holds `q` (case-insensitively, see event-search.ts),
   * served by the trigram index idx_events_data_trgm where pg_trgm is installed.
   */
  async idsMatching(tenantId: string, q: string): Promise<string[]> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT e.id FROM events e WHERE e.tenant_id = $1 AND e.data::text ILIKE $2',
      [tenantId, containsPattern(q)],
    );
    return rows.map((r) => r.id);
  }

  /** The latest earlier event of the same entity (for "was → now" in change notices); null without an entity key. */
  async previousOfEntity(event: Event): Promise<Event | null> {
    if (!event.entityKey) return null;
    return this.dataSource
      .getRepository(Event)
      .createQueryBuilder('e')
      .where('e.tenant_id = :tenantId AND e.entity_key = :key AND e.id <> :id', {
        tenantId: event.tenantId,
        key: event.entityKey,
        id: event.id,
      })
      .andWhere('e.created_at <= :at', { at: event.createdAt })
      .orderBy('e.created_at', 'DESC')
      .getOne();
  }

  /** Did the tenant receive a `message.received` event from this phone (digits only) in the last `minutes`? */
  async messageReceivedFrom(tenantId: string, phone: string, minutes: number): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM events
       WHERE tenant_id = $1 AND event_type = 'message.received' AND created_at > now() - $2 * interval '1 minute'
         AND regexp_replace(coalesce(data::jsonb ->> 'phone', data::jsonb #>> '{from,phone}', data::jsonb #>> '{contact,phone}', ''), '\\D', '', 'g') = $3
       LIMIT 1`,
      [tenantId, minutes, phone],
    );
    return rows.length > 0;
  }

  /**
   * Deletes the events older than `days` (their deliveries go with them: ON DELETE CASCADE), a batch
   * per statement, with `manager` when given; answers how many.
   */
  async deleteOlderThan(days: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return deleteInBatches(
      manager,
      `DELETE FROM events WHERE id IN (
             SELECT id FROM events WHERE created_at < now() - $1 * interval '1 day' LIMIT $2)`,
      [days],
    );
  }

  /** One page of the tenant's event log, newest first, and one row more when there is a next page (see event-log.ts). */
  logPage(tenantId: string, filter: EventLogFilter): Promise<EventLogRow[]> {
    const { sql, params } = eventLogQuery(tenantId, filter);
    return this.dataSource.query<EventLogRow[]>(sql, params);
  }
}
