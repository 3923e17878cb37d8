import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['queued', 'sending', 'success', 'retrying', 'dead', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** Statuses that still wait for an attempt. */
export const PENDING_STATUSES: DeliveryStatus[] = ['queued', 'retrying'];

/** One event to one subscription: queued → sending → success | retrying → … → dead (CONTRACT §4.4). */
@Entity('deliveries')
@Index(['subscriptionId', 'createdAt'])
@Index(['eventId'])
@Index('idx_deliveries_due', ['nextAttemptAt'], { where: "status IN ('queued', 'retrying', 'sending')" })
export class Delivery {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @Column('text')
  subscriptionId: string;

  @Column('text')
  eventId: string;

  @Column('text')
  eventType: string;

  @Column('text', { nullable: true })
  entityKey: string | null;

  @Column('text')
  status: DeliveryStatus;

  /** Attempts made so far. */
  @Column('int', { default: 0 })
  attemptCount: number;

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

  @Column('text', { nullable: true })
  traceId: string | null;

  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
