import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DeliveryLogFilter, withSearchDone } from './delivery-log-query';
import { DeliveriesRepository } from './deliveries.repository';
import { EventsRepository } from '../events/events.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { DeliveryStore } from './delivery.store';

/** The most deliveries one bulk retry (or recover) queues again; the rest wait for the next call. */
export const BULK_RETRY_LIMIT = 10_000;

type Due = Pick<Delivery, 'id' | 'attemptCount' | 'nextAttemptAt'>;

/**
 * Sending deliveries again: a finished one (dead, cancelled, success) as a new delivery linked by
 * original_delivery_id; a `retrying` one now, as the same delivery whose attempt count goes on.
 * Rows change in PostgreSQL first; their ids-only jobs are queued after the commit.
 */
@Injectable()
export class DeliveryRequeuer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DeliveriesRepository,
    private readonly store: DeliveryStore,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly events: EventsRepository,
  ) {}

  /** New deliveries sending `originals` again, queued now. */
  async copy(originals: Delivery[]): Promise<Delivery[]> {
    const copies = await this.dataSource.transaction((manager) => this.insertCopies(manager, originals));
    await this.store.enqueue(copies);
    return copies;
  }

  /**
   * Makes a `retrying` delivery due now and queues its next attempt; null when it is not
   * `retrying` (any more). The job of its planned attempt stays and finds nothing to do.
   */
  async sendNow(tenantId: string, deliveryId: string): Promise<Delivery | null> {
    const delivery = await this.repository.sendNow(tenantId, deliveryId);
    if (delivery) await this.enqueueNow([delivery]);
    return delivery;
  }

  /**
   * Sends again, oldest first, at most BULK_RETRY_LIMIT deliveries that `filter` matches among
   * `statuses` and whose webhook is active: finished ones not retried already as new deliveries,
   * retrying ones not due yet now. Returns how many were queued.
   */
  async requeueMatching(
    tenantId: string,
    filter: DeliveryLogFilter,
    statuses: readonly DeliveryStatus[],
  ): Promise<number> {
    const candidates = await this.candidates(tenantId, filter, statuses);
    if (candidates.length === 0) return 0;
    const retrying = candidates.filter((c) => c.status === 'retrying').map((c) => c.id);
    const finished = candidates.filter((c) => c.status !== 'retrying').map((c) => c.id);
    const { copies, due } = await this.dataSource.transaction(async (manager) => ({
      due: await this.makeDue(manager, tenantId, retrying),
      copies: await this.insertCopies(manager, await this.lockNotRetried(manager, tenantId, finished)),
    }));
    await this.store.enqueue(copies);
    await this.enqueueNow(due);
    return copies.length + due.length;
  }

  private async candidates(
    tenantId: string,
    filter: DeliveryLogFilter,
    statuses: readonly DeliveryStatus[],
  ): Promise<{ id: string; status: DeliveryStatus }[]> {
    // its webhook is enabled and not deleted (deliveries of disabled webhooks are left alone): the
    // tenant's active webhooks are asked of the subscriptions feature, once per call
    const [searched, active] = await Promise.all([
      withSearchDone(tenantId, filter, (t, q) => this.events.idsMatching(t, q)),
      this.subscriptions.activeIds(tenantId),
    ]);
    return this.repository.requeueCandidates(tenantId, searched, active, statuses, BULK_RETRY_LIMIT);
  }

  /** Retrying deliveries not due yet, made due now. */
  private async makeDue(manager: EntityManager, tenantId: string, ids: string[]): Promise<Due[]> {
    if (ids.length === 0) return [];
    const rows = await this.repository.makeDue(manager, tenantId, ids);
    return rows.map((r) => ({ id: r.id, attemptCount: r.attempt_count, nextAttemptAt: null }));
  }

  /**
   * Locks the finished deliveries among `ids` that another call is not retrying now (SKIP LOCKED),
   * then drops those a committed delivery already sends again: read after the locks are held, so a
   * call that retried them before is seen.
   */
  private async lockNotRetried(manager: EntityManager, tenantId: string, ids: string[]): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const locked = await this.repository.lockFinished(manager, tenantId, ids);
    const taken = await this.repository.retriedAmong(
      manager,
      locked.map((d) => d.id),
    );
    return locked.filter((d) => !taken.has(d.id));
  }

  private insertCopies(manager: EntityManager, originals: Delivery[]): Promise<Delivery[]> {
    return this.store.createQueued(
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
    );
  }

  /**
   * Queues the next attempt of deliveries made due now. Their planned attempt's job (same
   * deterministic id) may still wait in Redis, so these jobs get a suffix of their own.
   */
  private enqueueNow(deliveries: Due[]): Promise<void> {
    return this.store.enqueue(
      deliveries.map((d) => ({ id: d.id, attemptCount: d.attemptCount, nextAttemptAt: null })),
      `now${Date.now()}`,
    );
  }
}
