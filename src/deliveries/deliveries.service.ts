import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { EventsService } from '../events/events.service';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Delivery, DeliveryStatus, PENDING_STATUSES } from './delivery.entity';
import { DeliveryStore } from './delivery.store';
import { AttemptOutcome, Dispatcher } from './dispatcher.service';

export interface DeliveryFilter {
  status?: DeliveryStatus;
  eventType?: string;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

/** The delivery log and the hand-driven actions on it: retry, recover, test. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    @InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>,
    private readonly store: DeliveryStore,
    private readonly subscriptions: SubscriptionsService,
    private readonly events: EventsService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async list(
    tenantId: string,
    webhookId: string,
    filter: DeliveryFilter,
  ): Promise<{ items: Delivery[]; total: number }> {
    await this.subscriptions.get(tenantId, webhookId);
    const query = this.deliveries
      .createQueryBuilder('d')
      .where('d.tenant_id = :tenantId AND d.subscription_id = :webhookId', { tenantId, webhookId })
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .skip(filter.offset)
      .take(filter.limit);
    if (filter.status) query.andWhere('d.status = :status', { status: filter.status });
    if (filter.eventType) query.andWhere('d.event_type = :eventType', { eventType: filter.eventType });
    if (filter.since) query.andWhere('d.created_at >= :since', { since: filter.since });
    if (filter.until) query.andWhere('d.created_at < :until', { until: filter.until });
    const [items, total] = await query.getManyAndCount();
    return { items, total };
  }

  async get(tenantId: string, deliveryId: string): Promise<{ delivery: Delivery; attempts: DeliveryAttempt[] }> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId, tenantId });
    if (!delivery) throw ApiError.notFound('Delivery', deliveryId);
    const attempts = await this.attempts.find({ where: { deliveryId }, order: { attemptNumber: 'ASC' } });
    return { delivery, attempts };
  }

  /** A new delivery of the same event to the same endpoint, linked to the original. */
  async retry(tenantId: string, deliveryId: string): Promise<Delivery> {
    const { delivery } = await this.get(tenantId, deliveryId);
    if (PENDING_STATUSES.includes(delivery.status) || delivery.status === 'sending') {
      throw new ApiError(
        'CONFLICT',
        `Delivery ${deliveryId} is still ${delivery.status}; it will be attempted anyway.`,
      );
    }
    const subscription = await this.subscriptions.get(tenantId, delivery.subscriptionId);
    if (!subscription.active)
      throw new ApiError('CONFLICT', `Webhook ${subscription.id} is disabled; enable it first.`);
    const [copy] = await this.requeue([delivery]);
    return copy;
  }

  /** Re-queues every dead delivery of an endpoint created since `since` that was not retried already. */
  async recover(tenantId: string, webhookId: string, since: Date): Promise<number> {
    const subscription = await this.subscriptions.get(tenantId, webhookId);
    if (!subscription.active) throw new ApiError('CONFLICT', `Webhook ${webhookId} is disabled; enable it first.`);
    const dead = await this.deliveries
      .createQueryBuilder('d')
      .where("d.subscription_id = :webhookId AND d.tenant_id = :tenantId AND d.status = 'dead'", {
        webhookId,
        tenantId,
      })
      .andWhere('d.created_at >= :since', { since })
      .andWhere('NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.original_delivery_id = d.id)')
      .orderBy('d.created_at', 'ASC')
      .limit(10_000)
      .getMany();
    return (await this.requeue(dead)).length;
  }

  /** Sends a `webhook.test` event to one endpoint now and answers the attempt's result (no retries). */
  async test(
    tenantId: string,
    webhookId: string,
    traceId: string,
  ): Promise<{ eventId: string; outcome: AttemptOutcome | null; deliveryId: string | null }> {
    const subscription = await this.subscriptions.get(tenantId, webhookId);
    if (!subscription.active) throw new ApiError('CONFLICT', `Webhook ${webhookId} is disabled; enable it first.`);
    const { event, deliveries } = await this.events.publish(tenantId, {
      eventType: 'webhook.test',
      source: 'system',
      traceId,
      data: { message: 'This is a test event from Hookhub.', webhook_id: webhookId },
      targetSubscriptionId: webhookId,
      enqueue: false,
    });
    const delivery = deliveries[0] ? await this.dispatcher.claim(deliveries[0].id) : null;
    const outcome = delivery ? await this.dispatcher.attempt(delivery, { retry: false }) : null;
    return { eventId: event.id, outcome, deliveryId: deliveries[0]?.id ?? null };
  }

  private async requeue(originals: Delivery[]): Promise<Delivery[]> {
    const copies = await this.dataSource.transaction((manager) =>
      this.store.createQueued(
        manager,
        originals.map((d) => ({
          tenantId: d.tenantId,
          subscriptionId: d.subscriptionId,
          eventId: d.eventId,
          eventType: d.eventType,
          entityKey: d.entityKey,
          traceId: d.traceId,
          originalDeliveryId: d.id,
        })),
      ),
    );
    await this.store.enqueue(copies);
    return copies;
  }
}
