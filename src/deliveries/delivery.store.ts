import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import { newId } from '../common/ids';
import { InjectWorkQueue } from '../work/work.providers';
import type { WorkQueue } from '../work/work-queue';
import { Delivery, PENDING_STATUSES } from './delivery.entity';
import { DELIVERY_WORK } from './delivery.work';

export interface NewDelivery {
  tenantId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  entityKey: string | null;
  traceId: string | null;
  originalDeliveryId?: string | null;
}

/** Owns the deliveries table and the delivery queue: creating rows, queueing their attempts, cancelling. */
@Injectable()
export class DeliveryStore {
  constructor(
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    @InjectWorkQueue(DELIVERY_WORK) private readonly queue: WorkQueue,
  ) {}

  /** Inserts queued deliveries inside the caller's transaction (the event and its deliveries commit together). */
  async createQueued(manager: EntityManager, rows: NewDelivery[]): Promise<Delivery[]> {
    if (rows.length === 0) return [];
    const now = new Date();
    const entities = rows.map((row) =>
      manager.create(Delivery, {
        id: newId('delivery'),
        ...row,
        originalDeliveryId: row.originalDeliveryId ?? null,
        status: 'queued',
        attemptCount: 0,
        nextAttemptAt: now,
      }),
    );
    for (let i = 0; i < entities.length; i += 1000) {
      await manager.insert(Delivery, entities.slice(i, i + 1000));
    }
    return entities;
  }

  /**
   * Queues the next attempt of each delivery, after the rows are committed (a Redis failure is left
   * to the sweeper); attempts due together share jobs. A suffix makes a second job for the same
   * attempt (a postponed one whose first job is still running).
   */
  async enqueue(
    deliveries: Pick<Delivery, 'id' | 'attemptCount' | 'nextAttemptAt'>[],
    jobIdSuffix?: string,
  ): Promise<void> {
    await this.queue.enqueue(
      deliveries.map((d) => ({ id: d.id, run: d.attemptCount + 1, dueAt: d.nextAttemptAt })),
      jobIdSuffix,
    );
  }

  /** Cancels every delivery of a subscription still waiting for an attempt; returns how many. */
  async cancelPending(subscriptionId: string): Promise<number> {
    const result = await this.deliveries.update(
      { subscriptionId, status: In(PENDING_STATUSES) },
      { status: 'cancelled', nextAttemptAt: null, completedAt: () => 'now()' },
    );
    return result.affected ?? 0;
  }
}
