import { Injectable } from '@nestjs/common';
import { deleteInBatches } from '../database/batched-delete';
import { DataSource, EntityManager } from 'typeorm';
import { Source } from './source.entity';

/**
 * The incoming-webhook tables' SQL that other features need (retention, the providers' reconcilers):
 * they ask here instead of naming sources or inbound_events in their own statements.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

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
}
