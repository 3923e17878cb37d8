import { Injectable } from '@nestjs/common';
import { KeysetPosition } from '../common/pagination';
import { DeliveryLogFilter, withSearchDone } from './delivery-log-query';
import { EventsRepository } from '../events/events.repository';
import { DeliveriesRepository } from './deliveries.repository';
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
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly events: EventsRepository,
  ) {}

  /**
   * One page: `limit` deliveries after `after` (the first page when null), each with its last
   * attempt's response time (one index look-up per row of the page, by (delivery_id, attempt_number)).
   */
  async list(
    tenantId: string,
    filter: DeliveryLogFilter,
    page: { limit: number; after: KeysetPosition | null },
  ): Promise<DeliveryLogPage> {
    const searched = await withSearchDone(tenantId, filter, (t, q) => this.events.idsMatching(t, q));
    const rows = await this.deliveries.logPage(tenantId, searched, page);
    const shown = rows.slice(0, page.limit);
    const last = shown[shown.length - 1];
    return {
      items: shown.map((row) => ({ delivery: row.delivery, responseTimeMs: row.responseTimeMs })),
      next: rows.length > page.limit && last ? { at: last.keysetAt, id: last.delivery.id } : null,
    };
  }
}
