import { DataSource } from 'typeorm';
import { EntityColumns, entityColumns } from '../database/raw-rows';
import type { Event } from '../events/event.entity';
import type { EventsRepository } from '../events/events.repository';
import type { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { BatchOptions, Waiting } from './batch-rules';
import { Delivery } from './delivery.entity';

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

/** The statuses in which a delivery is still on its way (an ordered subscription's later events wait for it). */
const ON_ITS_WAY = `('queued', 'sending', 'retrying')`;

/**
 * The deliveries to form a batch of, locked: the oldest `queued` ones of the subscription that are in
 * no batch, at most $2, skipping rows another former holds. On an ordered subscription ($4) a delivery
 * is left out while an earlier one of its entity_key is in a batch or on its way alone.
 */
const CANDIDATES = `SELECT w.id, w.entity_key, w.created_at FROM deliveries w
  WHERE w.subscription_id = $1 AND w.status = 'queued' AND w.batch_id IS NULL
    AND NOT ($4 AND w.entity_key IS NOT NULL AND EXISTS (
      SELECT 1 FROM deliveries e
      WHERE e.subscription_id = w.subscription_id AND e.entity_key = w.entity_key
        AND (e.created_at, e.id) < (w.created_at, w.id)
        AND (e.status IN ('sending', 'retrying') OR (e.status = 'queued' AND e.batch_id IS NOT NULL))))
  ORDER BY w.created_at, w.id
  LIMIT $2
  FOR UPDATE SKIP LOCKED`;

/**
 * The candidates that may go: on an ordered subscription, not one whose earlier delivery of the same
 * entity_key is still on its way outside this batch (held by a concurrent former, say).
 */
const MEMBERS = `SELECT c.id, c.created_at FROM candidates c
  WHERE NOT ($4 AND c.entity_key IS NOT NULL AND EXISTS (
    SELECT 1 FROM deliveries e
    WHERE e.subscription_id = $1 AND e.entity_key = c.entity_key
      AND (e.created_at, e.id) < (c.created_at, c.id) AND e.status IN ${ON_ITS_WAY}
      AND e.id NOT IN (SELECT id FROM candidates)))`;

/**
 * The SQL of batch delivery on the deliveries table: forming a batch, claiming one, parking the
 * deliveries that wait for one. Every change is one conditional UPDATE; a batch's members change
 * together, so they always share their status, attempt count and schedule.
 */
export class DeliveryBatches {
  private readonly delivery: EntityColumns<Delivery>;

  /** Subscriptions (batch settings) and events (the members' bodies) are asked of their own features. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly events: EventsRepository,
  ) {
    this.delivery = entityColumns(dataSource, Delivery, 'd', 'd_');
  }

  /** A delivery with its subscription's batch settings; null when it (or its subscription) is gone. */
  async locate(deliveryId: string): Promise<LocatedDelivery | null> {
    const [row] = await this.dataSource.query<Record<string, unknown>[]>(
      'SELECT d.id, d.subscription_id, d.status, d.batch_id, d.created_at FROM deliveries d WHERE d.id = $1',
      [deliveryId],
    );
    if (!row) return null;
    const subscription = (await this.subscriptions.byIds([row.subscription_id as string])).get(
      row.subscription_id as string,
    );
    if (!subscription) return null;
    return {
      id: row.id as string,
      subscriptionId: row.subscription_id as string,
      status: row.status as string,
      batchId: row.batch_id as string | null,
      createdAt: row.created_at as Date,
      batchMaxEvents: subscription.batchMaxEvents,
      batchMaxWaitMs: subscription.batchMaxWaitMs,
      ordered: subscription.ordered,
    };
  }

  /** The subscription's deliveries waiting for a batch: how many (up to `maxEvents`), the oldest one and its age. */
  async waiting(subscriptionId: string, maxEvents: number): Promise<Waiting & { oldestId: string | null }> {
    const [row] = await this.dataSource.query<{ count: number; oldest_at: Date | null; oldest_id: string | null }[]>(
      `SELECT count(*)::int AS count, min(created_at) AS oldest_at, (array_agg(id ORDER BY created_at, id))[1] AS oldest_id
       FROM (SELECT id, created_at FROM deliveries
             WHERE subscription_id = $1 AND status = 'queued' AND batch_id IS NULL
             ORDER BY created_at, id LIMIT $2) w`,
      [subscriptionId, maxEvents],
    );
    return { count: row.count, oldestAt: row.oldest_at, oldestId: row.oldest_id };
  }

  /**
   * Forms a batch `batchId` of the subscription's waiting deliveries and claims it for one attempt
   * (`sending`, with a lease of `leaseMs`), when it is due among the deliveries that may go (see
   * CANDIDATES, MEMBERS and batchDue): one statement, so two formers never share a delivery. Null
   * when no batch is due.
   */
  async form(
    subscriptionId: string,
    options: BatchOptions & { ordered: boolean },
    batchId: string,
    leaseMs: number,
  ): Promise<ClaimedBatch | null> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH candidates AS (${CANDIDATES}), members AS (${MEMBERS}),
       due AS (
         SELECT count(*)::int AS size FROM members
         HAVING count(*) >= $2 OR min(created_at) <= now() - $3 * interval '1 millisecond'
       ), d AS (
         UPDATE deliveries SET status = 'sending', batch_id = $5, batch_size = due.size,
           next_attempt_at = now() + $6 * interval '1 millisecond', updated_at = now()
         FROM members, due WHERE deliveries.id = members.id
         RETURNING deliveries.*
       )
       ${this.claimedInOrder}`,
      [subscriptionId, options.maxEvents, options.maxWaitMs, options.ordered, batchId, leaseMs],
    );
    return this.read(rows);
  }

  /**
   * Claims a batch of exactly this one waiting delivery (POST /webhooks/{id}/test sends it now, as a
   * batch of one); null when it is not waiting for a batch (or its subscription does not batch).
   */
  async formOne(deliveryId: string, batchId: string, leaseMs: number): Promise<ClaimedBatch | null> {
    const located = await this.locate(deliveryId);
    if (!located || located.batchMaxEvents === null) return null;
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH d AS (
         UPDATE deliveries SET status = 'sending', batch_id = $2, batch_size = 1,
           next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now()
         WHERE id = $1 AND status = 'queued' AND batch_id IS NULL
         RETURNING *
       )
       ${this.claimedInOrder}`,
      [deliveryId, batchId, leaseMs],
    );
    return this.read(rows);
  }

  /**
   * Claims the batch of a delivery for one attempt: every member still on its way, together, when
   * the batch is due (this member is due: its time has come, or it was left `sending` by an attempt
   * whose lease ran out; taking it back then counts as a give-back, see MAX_RELEASES). The members
   * are locked in id order, so two claims of one batch wait for each other and the second finds
   * nothing to take. Null when it is not due or someone else holds it.
   */
  async claim(deliveryId: string, leaseMs: number): Promise<ClaimedBatch | null> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH locked AS (
         SELECT m.id FROM deliveries m
         WHERE m.batch_id = (SELECT batch_id FROM deliveries WHERE id = $1)
           AND (m.status IN ('queued', 'retrying') OR (m.status = 'sending' AND m.next_attempt_at < now()))
         ORDER BY m.id
         FOR UPDATE
       ), d AS (
         UPDATE deliveries SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond',
           updated_at = now(), release_count = release_count + CASE WHEN status = 'sending' THEN 1 ELSE 0 END
         FROM locked
         WHERE deliveries.id = locked.id AND EXISTS (
           SELECT 1 FROM deliveries x WHERE x.id = $1 AND (
             (x.status IN ('queued', 'retrying') AND x.next_attempt_at <= now() + interval '1 second')
             OR (x.status = 'sending' AND x.next_attempt_at < now())))
         RETURNING deliveries.*
       )
       ${this.claimedInOrder}`,
      [deliveryId, leaseMs],
    );
    return this.read(rows);
  }

  /**
   * Leaves a claimed batch's later members out before its first attempt (its body would be over
   * MAX_DELIVERY_BODY_BYTES): they wait for the next batch again, due at once; the others' batch_size
   * becomes `keptSize`.
   */
  async leaveOut(batchId: string, leftOut: string[], keptSize: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE deliveries SET
         status = CASE WHEN id = ANY($2::text[]) THEN 'queued' ELSE status END,
         next_attempt_at = CASE WHEN id = ANY($2::text[]) THEN now() ELSE next_attempt_at END,
         batch_size = CASE WHEN id = ANY($2::text[]) THEN NULL ELSE $3::int END,
         batch_id = CASE WHEN id = ANY($2::text[]) THEN NULL ELSE batch_id END,
         updated_at = now()
       WHERE batch_id = $1 AND status = 'sending'`,
      [batchId, leftOut, keptSize],
    );
  }

  /** Sets when a delivery waiting for a batch looks again; false when it is no longer waiting. */
  async park(deliveryId: string, until: Date): Promise<boolean> {
    const [, affected] = await this.dataSource.query<[unknown, number]>(
      `UPDATE deliveries SET next_attempt_at = $2, updated_at = now()
       WHERE id = $1 AND status = 'queued' AND batch_id IS NULL`,
      [deliveryId, until],
    );
    return affected > 0;
  }

  /**
   * The claimed deliveries (`d` is the claiming statement's RETURNING) in batch order: the order their
   * events were published in, as ordered delivery counts it.
   */
  private get claimedInOrder(): string {
    return `SELECT ${this.delivery.select} FROM d ORDER BY d.created_at, d.id`;
  }

  /**
   * The claimed members in batch order, each with its event, asked of the events feature in one
   * statement; null when none was claimed.
   */
  private async read(rows: Record<string, unknown>[]): Promise<ClaimedBatch | null> {
    if (rows.length === 0) return null;
    const deliveries = rows.map((row) => this.delivery.read(row)!);
    const events = await this.events.byIds(deliveries.map((d) => d.eventId));
    return { deliveries, events: deliveries.map((d) => events.get(d.eventId)!) };
  }
}
