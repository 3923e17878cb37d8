import { Injectable } from '@nestjs/common';
import { deleteInBatches } from '../database/batched-delete';
import { DataSource, EntityManager } from 'typeorm';
import { ColumnName, columnsOf, entityFromRow } from '../database/raw-rows';
import { Event } from './event.entity';
import { containsPattern } from './event-search';

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
}
