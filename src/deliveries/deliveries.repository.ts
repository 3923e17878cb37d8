import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { deleteInBatches } from '../database/batched-delete';
import { EntityColumns, entityColumns } from '../database/raw-rows';
import { Delivery } from './delivery.entity';

/** Where a delivery's job leads: its subscription and event, read before claiming it. */
export interface DeliveryRoute {
  id: string;
  subscriptionId: string;
  eventId: string;
}

/**
 * The deliveries tables' SQL that other features ask for (an event's deliveries, their counts) and
 * the claim of deliveries sent alone. A statement here names deliveries and delivery_attempts only:
 * what it needs of a subscription or an event is asked of their repositories and passed in.
 */
@Injectable()
export class DeliveriesRepository {
  private readonly columns: EntityColumns<Delivery>;

  constructor(private readonly dataSource: DataSource) {
    this.columns = entityColumns(dataSource, Delivery, 'd', 'd_');
  }

  /** An event's deliveries, oldest first. */
  ofEvent(tenantId: string, eventId: string): Promise<Delivery[]> {
    return this.dataSource.getRepository(Delivery).find({ where: { eventId, tenantId }, order: { createdAt: 'ASC' } });
  }

  /** An event's deliveries made when it was published (not the copies a retry made), oldest first. */
  originalsOfEvent(tenantId: string, eventId: string): Promise<Delivery[]> {
    return this.dataSource
      .getRepository(Delivery)
      .find({ where: { eventId, tenantId, originalDeliveryId: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** How many deliveries each event has, and how many of them are retrying or dead. */
  async countsByEvent(tenantId: string, eventIds: string[]): Promise<Map<string, { all: number; failed: number }>> {
    if (eventIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ event_id: string; all: number; failed: number }[]>(
      `SELECT event_id, count(*)::int AS "all", (count(*) FILTER (WHERE status IN ('retrying', 'dead')))::int AS failed
       FROM deliveries WHERE tenant_id = $1 AND event_id = ANY($2) GROUP BY event_id`,
      [tenantId, eventIds],
    );
    return new Map(rows.map((r) => [r.event_id, { all: r.all, failed: r.failed }]));
  }

  /** The subscription and event of each delivery among `ids` (one statement for a group of jobs). */
  async routes(ids: readonly string[]): Promise<DeliveryRoute[]> {
    return this.dataSource.query<DeliveryRoute[]>(
      `SELECT id, subscription_id AS "subscriptionId", event_id AS "eventId" FROM deliveries WHERE id = ANY($1::text[])`,
      [ids],
    );
  }

  /**
   * Claims the due deliveries among `ids` that are sent alone, for one attempt each (`sending`, with a
   * lease of `leaseMs`): due (queued or retrying, up to a second early) or a crashed attempt whose
   * lease ran out (taking that one back counts as a give-back: see MAX_RELEASES). Not a batch's
   * member, nor a `queued` one of a subscription in `batched` (it waits to join a batch: see
   * BatchClaims). Answers the claimed rows.
   */
  async claimAlone(ids: readonly string[], leaseMs: number, batched: readonly string[]): Promise<Delivery[]> {
    const rows = await this.dataSource.query<Record<string, unknown>[]>(
      `WITH d AS (
        UPDATE deliveries SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now(),
          release_count = release_count + CASE WHEN status = 'sending' THEN 1 ELSE 0 END
        WHERE id = ANY($1::text[]) AND (
          (status IN ('queued', 'retrying') AND next_attempt_at <= now() + interval '1 second')
          OR (status = 'sending' AND next_attempt_at < now()))
          AND batch_id IS NULL AND NOT (status = 'queued' AND subscription_id = ANY($3::text[]))
        RETURNING *)
      SELECT ${this.columns.select} FROM d`,
      [ids, leaseMs, batched],
    );
    return rows.map((row) => this.columns.read(row)!);
  }

  /** True when an earlier delivery of the same subscription and entity_key is still on its way (ordered endpoints). */
  async earlierOnItsWay(
    delivery: Pick<Delivery, 'id' | 'subscriptionId' | 'entityKey' | 'createdAt'>,
  ): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM deliveries
       WHERE subscription_id = $1 AND entity_key = $2 AND status IN ('queued', 'sending', 'retrying')
         AND (created_at, id) < ($3, $4)
       LIMIT 1`,
      [delivery.subscriptionId, delivery.entityKey, delivery.createdAt, delivery.id],
    );
    return rows.length > 0;
  }

  /** Deletes the delivery attempts older than `days`, a batch per statement, with `manager` when given; answers how many. */
  async deleteAttemptsOlderThan(days: number, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return deleteInBatches(
      manager,
      `DELETE FROM delivery_attempts WHERE id IN (
             SELECT id FROM delivery_attempts WHERE created_at < now() - $1 * interval '1 day' LIMIT $2)`,
      [days],
    );
  }
}
