import type { Event } from '../events/event.entity';
import type { EventsRepository } from '../events/events.repository';
import type { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { BatchOptions, Waiting } from './batch-rules';
import type { DeliveriesRepository } from './deliveries.repository';
import type { Delivery } from './delivery.entity';

/**
 * The members of a claimed batch in batch order (their events' publication order), each with its
 * event (a delivery's event cannot be gone: deleting an event deletes its deliveries).
 */
export interface ClaimedBatch {
  deliveries: Delivery[];
  events: Event[];
}

/** A delivery as the batch path first sees it, with its subscription's batch settings. */
export interface LocatedDelivery {
  id: string;
  subscriptionId: string;
  status: string;
  batchId: string | null;
  createdAt: Date;
  batchMaxEvents: number | null;
  batchMaxWaitMs: number | null;
  ordered: boolean;
}

/**
 * Batch delivery on the deliveries table: forming a batch, claiming one, parking the deliveries that
 * wait for one. Every change is one conditional UPDATE (DeliveriesRepository's batch statements); a
 * batch's members change together, so they always share their status, attempt count and schedule.
 */
export class DeliveryBatches {
  /** Subscriptions (batch settings) and events (the members' bodies) are asked of their own features. */
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly events: EventsRepository,
  ) {}

  /** A delivery with its subscription's batch settings; null when it (or its subscription) is gone. */
  async locate(deliveryId: string): Promise<LocatedDelivery | null> {
    const row = await this.deliveries.batchRow(deliveryId);
    if (!row) return null;
    const subscription = (await this.subscriptions.byIds([row.subscription_id])).get(row.subscription_id);
    if (!subscription) return null;
    return {
      id: row.id,
      subscriptionId: row.subscription_id,
      status: row.status,
      batchId: row.batch_id,
      createdAt: row.created_at,
      batchMaxEvents: subscription.batchMaxEvents,
      batchMaxWaitMs: subscription.batchMaxWaitMs,
      ordered: subscription.ordered,
    };
  }

  /** The subscription's deliveries waiting for a batch: how many (up to `maxEvents`), the oldest one and its age. */
  async waiting(subscriptionId: string, maxEvents: number): Promise<Waiting & { oldestId: string | null }> {
    const row = await this.deliveries.waitingForBatch(subscriptionId, maxEvents);
    return { count: row.count, oldestAt: row.oldest_at, oldestId: row.oldest_id };
  }

  /**
   * Forms a batch `batchId` of the subscription's waiting deliveries and claims it for one attempt
   * (`sending`, with a lease of `leaseMs`), when it is due among the deliveries that may go (see
   * DeliveriesRepository.formBatch and batchDue): one statement, so two formers never share a delivery. Null
   * when no batch is due.
   */
  async form(
    subscriptionId: string,
    options: BatchOptions & { ordered: boolean },
    batchId: string,
    leaseMs: number,
  ): Promise<ClaimedBatch | null> {
    return this.read(
      await this.deliveries.formBatch(
        subscriptionId,
        { maxEvents: options.maxEvents, maxWaitMs: options.maxWaitMs, ordered: options.ordered },
        batchId,
        leaseMs,
      ),
    );
  }

  /**
   * Claims a batch of exactly this one waiting delivery (POST /webhooks/{id}/test sends it now, as a
   * batch of one); null when it is not waiting for a batch (or its subscription does not batch).
   */
  async formOne(deliveryId: string, batchId: string, leaseMs: number): Promise<ClaimedBatch | null> {
    const located = await this.locate(deliveryId);
    if (!located || located.batchMaxEvents === null) return null;
    return this.read(await this.deliveries.formBatchOfOne(deliveryId, batchId, leaseMs));
  }

  /**
   * Claims the batch of a delivery for one attempt: every member still on its way, together, when
   * the batch is due (this member is due: its time has come, or it was left `sending` by an attempt
   * whose lease ran out; taking it back then counts as a give-back, see MAX_RELEASES). The members
   * are locked in id order, so two claims of one batch wait for each other and the second finds
   * nothing to take. Null when it is not due or someone else holds it.
   */
  async claim(deliveryId: string, leaseMs: number): Promise<ClaimedBatch | null> {
    return this.read(await this.deliveries.claimBatch(deliveryId, leaseMs));
  }

  /**
   * Leaves a claimed batch's later members out before its first attempt (its body would be over
   * MAX_DELIVERY_BODY_BYTES): they wait for the next batch again, due at once; the others' batch_size
   * becomes `keptSize`.
   */
  async leaveOut(batchId: string, leftOut: string[], keptSize: number): Promise<void> {
    await this.deliveries.leaveOutOfBatch(batchId, leftOut, keptSize);
  }

  /** Sets when a delivery waiting for a batch looks again; false when it is no longer waiting. */
  park(deliveryId: string, until: Date): Promise<boolean> {
    return this.deliveries.parkForBatch(deliveryId, until);
  }

  /**
   * The claimed members in batch order, each with its event, asked of the events feature in one
   * statement; null when none was claimed.
   */
  private async read(deliveries: Delivery[]): Promise<ClaimedBatch | null> {
    if (deliveries.length === 0) return null;
    const events = await this.events.byIds(deliveries.map((d) => d.eventId));
    return { deliveries, events: deliveries.map((d) => events.get(d.eventId)!) };
  }
}
