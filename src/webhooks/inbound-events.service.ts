import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { EventsService } from '../events/events.service';
import type { Event } from '../events/event.entity';
import { InboundEvent, InboundStatus } from './inbound-event.entity';
import { InboundQueue } from './inbound.queue';

export interface InboundFilter {
  status?: InboundStatus;
  eventType?: string;
  eventSubtype?: string;
  entityType?: string;
  entityId?: string;
  sourceId?: string;
  provider?: string;
  startDate?: Date;
  endDate?: Date;
  limit: number;
  offset: number;
}

/** The inbound-event history (docs/api.md) and its manual retry. */
@Injectable()
export class InboundEventsService {
  constructor(
    @InjectRepository(InboundEvent) private readonly inbound: Repository<InboundEvent>,
    private readonly events: EventsService,
    private readonly queue: InboundQueue,
  ) {}

  async list(tenantId: string, f: InboundFilter): Promise<{ items: InboundEvent[]; total: number }> {
    const q = this.inbound
      .createQueryBuilder('i')
      .where('i.tenant_id = :tenantId', { tenantId })
      .orderBy('i.created_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .skip(f.offset)
      .take(f.limit);
    const equal: [keyof InboundFilter, string][] = [
      ['status', 'status'],
      ['eventType', 'event_type'],
      ['eventSubtype', 'event_subtype'],
      ['entityType', 'entity_type'],
      ['entityId', 'entity_id'],
      ['sourceId', 'source_id'],
      ['provider', 'provider'],
    ];
    for (const [key, column] of equal) {
      if (f[key] !== undefined) q.andWhere(`i.${column} = :${key}`, { [key]: f[key] });
    }
    if (f.startDate) q.andWhere('i.created_at >= :startDate', { startDate: f.startDate });
    if (f.endDate) q.andWhere('i.created_at < :endDate', { endDate: f.endDate });
    const [items, total] = await q.getManyAndCount();
    return { items, total };
  }

  async get(tenantId: string, id: string): Promise<{ inbound: InboundEvent; produced: Event[] }> {
    const inbound = await this.inbound.findOneBy({ id, tenantId });
    if (!inbound) throw ApiError.notFound('Inbound event', id);
    return { inbound, produced: await this.events.producedBy(tenantId, id) };
  }

  /** Queues a `failed` or `retrying` inbound event for processing now, with a fresh retry budget (run numbers go on, so job ids stay unique). */
  async retry(tenantId: string, id: string): Promise<InboundEvent> {
    const { inbound } = await this.get(tenantId, id);
    if (inbound.status !== 'failed' && inbound.status !== 'retrying') {
      throw new ApiError(
        'CONFLICT',
        `Inbound event ${id} is ${inbound.status}; only failed or retrying events are retried.`,
      );
    }
    const result = await this.inbound
      .createQueryBuilder()
      .update()
      .set({
        status: 'pending',
        maxRetries: () => 'retry_count + GREATEST(max_retries, 1)',
        nextRetryAt: () => 'now()',
        releaseCount: 0,
      })
      .where('id = :id AND status IN (:...statuses)', { id, statuses: ['failed', 'retrying'] })
      .execute();
    if (!result.affected) throw new ApiError('CONFLICT', `Inbound event ${id} changed meanwhile; look again.`);
    await this.queue.enqueue([{ id, retryCount: inbound.retryCount, nextRetryAt: null }], `manual${Date.now()}`);
    return this.inbound.findOneByOrFail({ id });
  }
}
