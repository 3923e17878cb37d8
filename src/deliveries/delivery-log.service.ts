import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KeysetPosition, keysetAtSql } from '../common/pagination';
import { EntityColumns, entityColumns } from '../database/raw-rows';
import {
  afterCondition,
  DeliveryLogFilter,
  filterConditions,
  matchingDeliveriesSql,
  orderBySql,
  SqlParams,
  withSearchDone,
} from './delivery-log-query';
import { EventsRepository } from '../events/events.repository';
import { Delivery } from './delivery.entity';

export interface DeliveryLogEntry {
  delivery: Delivery;
  /** How long the last attempt took; null before the first one. */
  responseTimeMs: number | null;
}

export interface DeliveryLogPage {
  items: DeliveryLogEntry[];
  /** Where the next page starts; null on the last page. */
  next: KeysetPosition | null;
}

/** The tenant-wide delivery log: keyset pages of deliveries, newest first, filtered. */
@Injectable()
export class DeliveryLogService {
  private readonly columns: EntityColumns<Delivery>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
  ) {
    this.columns = entityColumns(dataSource, Delivery, 'd', 'd_');
  }

  /**
   * One page: `limit` deliveries after `after` (the first page when null), each with its last
   * attempt's response time (one index look-up per row of the page, by (delivery_id, attempt_number)).
   */
  async list(
    tenantId: string,
    filter: DeliveryLogFilter,
    page: { limit: number; after: KeysetPosition | null },
  ): Promise<DeliveryLogPage> {
    const params = new SqlParams();
    const searched = await withSearchDone(tenantId, filter, (t, q) => this.events.idsMatching(t, q));
    const conditions = filterConditions(tenantId, searched, params);
    if (page.after) conditions.push(afterCondition(page.after, params));
    const from = matchingDeliveriesSql({
      conditions,
      statuses: filter.statuses,
      order: 'newest',
      limit: page.limit + 1,
      params,
    });
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT ${this.columns.select}, ${keysetAtSql('d.created_at')} AS keyset_at, la.response_time_ms AS last_response_time_ms
       FROM ${from}
       LEFT JOIN LATERAL (
         SELECT a.response_time_ms FROM delivery_attempts a WHERE a.delivery_id = d.id ORDER BY a.attempt_number DESC LIMIT 1
       ) la ON true
       ${orderBySql('newest')} LIMIT ${params.add(page.limit + 1)}`,
      params.values,
    );
    const shown = rows.slice(0, page.limit);
    const last = shown[shown.length - 1];
    return {
      items: shown.map((row) => ({
        delivery: this.columns.read(row)!,
        responseTimeMs: (row.last_response_time_ms as number | null) ?? null,
      })),
      next: rows.length > page.limit && last ? { at: last.keyset_at as string, id: last.d_id as string } : null,
    };
  }
}
