import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { EventsService } from '../events/events.service';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { DeliveryAttempt } from './delivery-attempt.entity';
import {
  FILTER_FIELDS,
  IN_PROGRESS,
  isEmptyFilter,
  parseFilter,
  RETRIED_BY_DEFAULT,
  statusesOf,
} from './delivery-log-query';
import { DeliveryRequeuer } from './delivery-requeuer';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { AttemptOutcome, Dispatcher } from './dispatcher.service';
import type { DeliveryLogFilterDto } from './dto/delivery-log.dto';

export interface DeliveryFilter {
  statuses?: readonly DeliveryStatus[];
  eventType?: string;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

/** How far back `recover` looks when it is given no `since`. */
export const RECOVER_DEFAULT_MS = 24 * 3_600_000;

/** What a retry will send: the delivery and the number of its next attempt. */
export interface Retried {
  delivery: Delivery;
  attempt: number;
}

/** The delivery log and the hand-driven actions on it: retry, recover, test. */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    @InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>,
    private readonly requeuer: DeliveryRequeuer,
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
    if (filter.statuses) query.andWhere('d.status IN (:...statuses)', { statuses: filter.statuses });
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

  /**
   * Sends a delivery again: a finished one as a new delivery of the same event to the same endpoint,
   * linked to the original; a `retrying` one now, as the same delivery (its attempt count goes on).
   */
  async retry(tenantId: string, deliveryId: string): Promise<Retried> {
    const { delivery } = await this.get(tenantId, deliveryId);
    if (IN_PROGRESS.includes(delivery.status)) {
      throw new ApiError(
        'CONFLICT',
        `Delivery ${deliveryId} is still ${delivery.status}; it will be attempted anyway.`,
      );
    }
    const subscription = await this.subscriptions.get(tenantId, delivery.subscriptionId);
    if (!subscription.active)
      throw new ApiError('CONFLICT', `Webhook ${subscription.id} is disabled; enable it first.`);
    if (delivery.status !== 'retrying') {
      const [copy] = await this.requeuer.copy([delivery]);
      return { delivery: copy, attempt: 1 };
    }
    const due = await this.requeuer.sendNow(tenantId, deliveryId);
    if (!due) throw new ApiError('CONFLICT', `Delivery ${deliveryId} is being attempted right now.`);
    return { delivery: due, attempt: due.attemptCount + 1 };
  }

  /**
   * Re-queues the dead, cancelled and retrying deliveries of an endpoint created since `since`
   * (24 h ago when omitted) that were not retried already; at most BULK_RETRY_LIMIT a call.
   */
  async recover(tenantId: string, webhookId: string, since?: Date): Promise<number> {
    const subscription = await this.subscriptions.get(tenantId, webhookId);
    if (!subscription.active) throw new ApiError('CONFLICT', `Webhook ${webhookId} is disabled; enable it first.`);
    const from = since ?? new Date(Date.now() - RECOVER_DEFAULT_MS);
    return this.requeuer.requeueMatching(tenantId, { webhookId, since: from }, RETRIED_BY_DEFAULT);
  }

  /**
   * Re-queues what a filter of the tenant-wide log matches (see DeliveryRequeuer.requeueMatching):
   * without a status, dead, cancelled and retrying deliveries; success ones only when asked by name.
   */
  async retryMatching(tenantId: string, filter: DeliveryLogFilterDto): Promise<number> {
    if (isEmptyFilter(filter)) {
      throw ApiError.validation('Give the filter at least one field; an empty filter would resend the whole log.', [
        { field: 'filter', message: `filter must name at least one of ${FILTER_FIELDS.join(', ')}` },
      ]);
    }
    const statuses = statusesOf(filter.status) ?? RETRIED_BY_DEFAULT;
    if (statuses.some((s) => IN_PROGRESS.includes(s))) {
      throw ApiError.validation(`Deliveries ${filter.status} are on their way already; they cannot be retried.`, [
        { field: 'filter.status', message: 'status must be dead, cancelled, retrying, failed or success to retry' },
      ]);
    }
    return this.requeuer.requeueMatching(tenantId, parseFilter(filter), statuses);
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
}
