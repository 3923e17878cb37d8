import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { EntityManager, In, Repository } from 'typeorm';
import { newId } from '../common/ids';
import { addPointerJobs } from '../common/queue-jobs';
import { DELIVER_JOB, DELIVERY_QUEUE, DeliverJob, deliverJobId } from './delivery.queue';
import { Delivery, PENDING_STATUSES } from './delivery.entity';

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
  private readonly logger = new Logger(DeliveryStore.name);

  constructor(
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    @InjectQueue(DELIVERY_QUEUE) private readonly queue: Queue<DeliverJob>,
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
   * to the sweeper). A suffix makes a second job for the same attempt (a postponed one whose first
   * job is still running).
   */
  async enqueue(
    deliveries: Pick<Delivery, 'id' | 'attemptCount' | 'nextAttemptAt'>[],
    jobIdSuffix?: string,
  ): Promise<void> {
    await addPointerJobs(
      this.queue,
      DELIVER_JOB,
      deliveries.map((d) => ({
        jobId: deliverJobId(d.id, d.attemptCount + 1) + (jobIdSuffix ? `:${jobIdSuffix}` : ''),
        data: { deliveryId: d.id },
        dueAt: d.nextAttemptAt,
      })),
      this.logger,
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

  /** The queue's job counts, for /health and metrics. */
  async queueCounts(): Promise<Record<string, number>> {
    const counts = await this.queue.getJobCounts();
    return { ...counts };
  }
}
