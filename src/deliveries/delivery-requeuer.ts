import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EntityColumns, entityColumns } from '../database/raw-rows';
import {
  DeliveryLogFilter,
  filterConditions,
  matchingDeliveriesSql,
  orderBySql,
  SqlParams,
  withSearchDone,
} from './delivery-log-query';
import { EventsRepository } from '../events/events.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { DeliveryStore } from './delivery.store';

/** The most deliveries one bulk retry (or recover) queues again; the rest wait for the next call. */
export const BULK_RETRY_LIMIT = 10_000;

/** A finished delivery not retried yet: no delivery sends it again already. */
const NOT_RETRIED = 'NOT EXISTS (SELECT 1 FROM deliveries r WHERE r.original_delivery_id = d.id)';

type Due = Pick<Delivery, 'id' | 'attemptCount' | 'nextAttemptAt'>;

/**
 * Sending deliveries again: a finished one (dead, cancelled, success) as a new delivery linked by
 * original_delivery_id; a `retrying` one now, as the same delivery whose attempt count goes on.
 * Rows change in PostgreSQL first; their ids-only jobs are queued after the commit.
 */
@Injectable()
export class DeliveryRequeuer {
  private readonly columns: EntityColumns<Delivery>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: DeliveryStore,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly events: EventsRepository,
  ) {
    this.columns = entityColumns(dataSource, Delivery, 'd', 'd_');
  }

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
    const [rows] = await this.dataSource.query<[Record<string, unknown>[], number]>(
      `UPDATE deliveries d SET next_attempt_at = LEAST(d.next_attempt_at, now()), updated_at = now()
       WHERE d.id = $1 AND d.tenant_id = $2 AND d.status = 'retrying'
       RETURNING ${this.columns.select}`,
      [deliveryId, tenantId],
    );
    const delivery = rows[0] ? this.columns.read(rows[0]) : null;
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
    const params = new SqlParams();
    // its webhook is enabled and not deleted (deliveries of disabled webhooks are left alone): the
    // tenant's active webhooks are asked of the subscriptions feature, once per call
    const [searched, active] = await Promise.all([
      withSearchDone(tenantId, filter, (t, q) => this.events.idsMatching(t, q)),
      this.subscriptions.activeIds(tenantId),
    ]);
    const conditions = filterConditions(tenantId, searched, params);
    conditions.push(`d.subscription_id = ANY(${params.add(active)}::text[])`);
    const from = matchingDeliveriesSql({
      conditions,
      statuses,
      branchConditions: (status) => (status === 'retrying' ? ['d.next_attempt_at > now()'] : [NOT_RETRIED]),
      order: 'oldest',
      limit: BULK_RETRY_LIMIT,
      params,
    });
    return this.dataSource.query(
      `SELECT d.id, d.status FROM ${from} ${orderBySql('oldest')} LIMIT ${params.add(BULK_RETRY_LIMIT)}`,
      params.values,
    );
  }

  /** Retrying deliveries not due yet, made due now. */
  private async makeDue(manager: EntityManager, tenantId: string, ids: string[]): Promise<Due[]> {
    if (ids.length === 0) return [];
    const [rows] = await manager.query<[{ id: string; attempt_count: number }[], number]>(
      `UPDATE deliveries SET next_attempt_at = now(), updated_at = now()
       WHERE id = ANY($1::text[]) AND tenant_id = $2 AND status = 'retrying' AND next_attempt_at > now()
       RETURNING id, attempt_count`,
      [ids, tenantId],
    );
    return rows.map((r) => ({ id: r.id, attemptCount: r.attempt_count, nextAttemptAt: null }));
  }

  /**
   * Locks the finished deliveries among `ids` that another call is not retrying now (SKIP LOCKED),
   * then drops those a committed delivery already sends again: read after the locks are held, so a
   * call that retried them before is seen.
   */
  private async lockNotRetried(manager: EntityManager, tenantId: string, ids: string[]): Promise<Delivery[]> {
    if (ids.length === 0) return [];
    const rows = await manager.query<Record<string, unknown>[]>(
      `SELECT ${this.columns.select} FROM deliveries d
       WHERE d.id = ANY($1::text[]) AND d.tenant_id = $2 AND d.status IN ('dead', 'cancelled', 'success')
       ORDER BY d.created_at, d.id FOR UPDATE SKIP LOCKED`,
      [ids, tenantId],
    );
    const locked = rows.map((row) => this.columns.read(row)!);
    const retried = await manager.query<{ original_delivery_id: string }[]>(
      'SELECT DISTINCT original_delivery_id FROM deliveries WHERE original_delivery_id = ANY($1::text[])',
      [locked.map((d) => d.id)],
    );
    const taken = new Set(retried.map((r) => r.original_delivery_id));
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
