import { Logger } from '@nestjs/common';
import { newId } from '../common/ids';
import type { Event } from '../events/event.entity';
import { BatchOptions, batchDue, batchOptionsOf, lookAgainAt } from './batch-rules';
import { ClaimedBatch, DeliveryBatches, LocatedDelivery } from './delivery-batches';
import { batchFit, batchMemberBodies } from './delivery-request';
import type { Delivery } from './delivery.entity';
import { DeliveryStore } from './delivery.store';

export interface BatchClaimSettings {
  /** How long a claimed attempt may run before it is taken back. */
  leaseMs: number;
  /** The soonest a waiting delivery left out of a batch looks again (see lookAgainAt). */
  pollMs: number;
  /** MAX_DELIVERY_BODY_BYTES: a new batch keeps the members that fit. */
  maxBodyBytes: number;
}

/**
 * The batch path of the delivery queue: a job of a batch's member claims its batch; a job of a
 * delivery waiting to join one forms a batch when one is due (see batch-rules.ts), and otherwise
 * parks the delivery until it looks again, with a job for then. Jobs carry delivery ids only, and
 * each decision is read from and written to PostgreSQL, so the sweeper rebuilds the work from the
 * rows (see the deliveries' WorkSweeper, delivery.work.ts).
 */
export class BatchClaims {
  private readonly logger = new Logger(BatchClaims.name);

  constructor(
    private readonly batches: DeliveryBatches,
    private readonly store: DeliveryStore,
    private readonly settings: BatchClaimSettings,
  ) {}

  /** The batch to send now for this delivery's job, claimed; null when nothing is to be sent now. */
  async claim(deliveryId: string): Promise<ClaimedBatch | null> {
    const located = await this.batches.locate(deliveryId);
    if (!located) return null;
    if (located.batchId) return this.batches.claim(deliveryId, this.settings.leaseMs);
    return located.status === 'queued' ? this.form(located) : null;
  }

  /** Claims this waiting delivery as a batch of its own (POST /webhooks/{id}/test sends it now). */
  claimAlone(deliveryId: string): Promise<ClaimedBatch | null> {
    return this.batches.formOne(deliveryId, newId('batch'), this.settings.leaseMs);
  }

  /**
   * Forms a batch of the delivery's subscription when one is due; the delivery, when it was left
   * waiting, is parked until it looks again. Null when no batch formed.
   */
  private async form(located: LocatedDelivery): Promise<ClaimedBatch | null> {
    const options = batchOptionsOf(located);
    if (!options) return null;
    const now = new Date();
    const waiting = await this.batches.waiting(located.subscriptionId, options.maxEvents);
    const formed = batchDue(waiting, options, now)
      ? await this.batches.form(
          located.subscriptionId,
          { ...options, ordered: located.ordered },
          newId('batch'),
          this.settings.leaseMs,
        )
      : null;
    // best effort once a batch is claimed: a delivery not parked is due, and the sweeper queues it
    await this.afterForming(located, options, now, formed).catch((error: Error) =>
      this.logger.warn(`could not park or queue the waiting deliveries of ${located.subscriptionId}: ${error.message}`),
    );
    return formed;
  }

  /** Parks the delivery when it was left waiting; after a batch formed, queues the next one when it is due already. */
  private async afterForming(
    located: LocatedDelivery,
    options: BatchOptions,
    now: Date,
    formed: ClaimedBatch | null,
  ): Promise<void> {
    if (!formed?.deliveries.some((d) => d.id === located.id)) {
      const until = lookAgainAt(located.createdAt, options, now, this.settings.pollMs);
      if (await this.batches.park(located.id, until)) {
        await this.store.enqueue([{ id: located.id, attemptCount: 0, nextAttemptAt: until }], `b${until.getTime()}`);
      }
    }
    if (formed) await this.nudge(located.subscriptionId, options);
  }

  /**
   * Before a batch's first attempt: leaves out its later members whose body would be over
   * MAX_DELIVERY_BODY_BYTES (a member too large even alone goes alone, and is refused as it would be
   * sent alone); they wait for the next batch, and a job looks for it at once. Anything else is
   * answered as it is.
   */
  async fitFirst<T extends { deliveries: Delivery[]; events: (Event | null)[] }>(batch: T): Promise<T> {
    const [lead] = batch.deliveries;
    const events = batch.events.filter((e): e is Event => e !== null);
    if (!lead.batchId || lead.attemptCount > 0 || events.length < batch.events.length) return batch;
    const bodies = batchMemberBodies({ subscription: { id: lead.subscriptionId }, events, attempt: 1 });
    const kept = batchFit(bodies, this.settings.maxBodyBytes);
    if (kept === bodies.length) return batch;
    const leftOut = batch.deliveries.slice(kept);
    await this.batches.leaveOut(
      lead.batchId,
      leftOut.map((d) => d.id),
      kept,
    );
    await this.store.enqueue([{ id: leftOut[0].id, attemptCount: 0, nextAttemptAt: null }], `n${lead.batchId}`);
    const deliveries = batch.deliveries.slice(0, kept);
    for (const d of deliveries) d.batchSize = kept;
    return { ...batch, deliveries, events: batch.events.slice(0, kept) };
  }

  /** After a batch formed: when the next one is due already, a job for its oldest delivery forms it now. */
  private async nudge(subscriptionId: string, options: BatchOptions): Promise<void> {
    const waiting = await this.batches.waiting(subscriptionId, options.maxEvents);
    if (waiting.oldestId && batchDue(waiting, options, new Date())) {
      await this.store.enqueue([{ id: waiting.oldestId, attemptCount: 0, nextAttemptAt: null }], `n${Date.now()}`);
    }
  }
}
