import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Subscription } from '../subscriptions/subscription.entity';
import { Event } from '../events/event.entity';

export const DELIVERY_STATUSES = ['queued', 'sending', 'success', 'retrying', 'dead', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** Statuses that still wait for an attempt. */
export const PENDING_STATUSES: DeliveryStatus[] = ['queued', 'retrying'];

/** One event to one subscription: queued → sending → success | retrying → … → dead (CONTRACT §4.4). */
@Entity('deliveries')
@Index(['eventId'])
// the delivery logs' keyset indexes, built by migration 1796300000000-DeliveryLogIndexes (some use COLLATE or WHERE)
@Index('idx_deliveries_tenant_log', { synchronize: false })
@Index('idx_deliveries_subscription_log', { synchronize: false })
@Index('idx_deliveries_tenant_status_log', { synchronize: false })
@Index('idx_deliveries_tenant_type_log', { synchronize: false })
@Index('idx_deliveries_tenant_http_log', { synchronize: false })
@Index('idx_deliveries_original', { synchronize: false })
@Index('idx_deliveries_due', ['nextAttemptAt'], { where: "status IN ('queued', 'retrying', 'sending')" })
@Index('idx_deliveries_batch', ['batchId'], { where: 'batch_id IS NOT NULL' })
@Index('idx_deliveries_unbatched', ['subscriptionId', 'createdAt', 'id'], {
  where: "status = 'queued' AND batch_id IS NULL",
})
export class Delivery {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @Column('text')
  subscriptionId: string;

  @ManyToOne(() => Subscription, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'subscription_id', foreignKeyConstraintName: 'fk_deliveries_subscription' })
  private readonly subscriptionRef?: Subscription;

  @Column('text')
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_deliveries_event' })
  private readonly eventRef?: Event;

  @Column('text')
  eventType: string;

  @Column('text', { nullable: true })
  entityKey: string | null;

  @Column('text')
  status: DeliveryStatus;

  /** Attempts made so far. */
  @Column('int', { default: 0 })
  attemptCount: number;

  /**
   * Times in a row the delivery was given back (after an unexpected error) or taken back (its lease
   * ran out) without an attempt being recorded; reset by a recorded attempt. At MAX_RELEASES it is
   * `dead` (src/database/release-claim.ts).
   */
  @Column('int', { default: 0 })
  releaseCount: number;

  /** When the next attempt is due; for `sending`, when a crashed attempt is taken back. */
  @Column('timestamptz', { nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastAttemptAt: Date | null;

  @Column('int', { nullable: true })
  lastHttpStatus: number | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('text', { nullable: true })
  originalDeliveryId: string | null;

  /**
   * The batch this delivery was sent in (`bat_…`), for a subscription with `batch`: its members share
   * their status, attempts and schedule, and are claimed and recorded together. Null for a delivery
   * sent alone, and for one still waiting to join a batch.
   */
  @Column('text', { nullable: true })
  batchId: string | null;

  /** How many deliveries its batch carries (the `X-Webhook-Batch-Size` sent). */
  @Column('int', { nullable: true })
  batchSize: number | null;

  @Column('text', { nullable: true })
  traceId: string | null;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
