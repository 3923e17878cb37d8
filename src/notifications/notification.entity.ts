import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Event } from '../events/event.entity';
import { NotificationRule } from './notification-rule.entity';

export const NOTIFICATION_STATUSES = ['queued', 'sending', 'sent', 'skipped', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** One (rule, event) message; the unique index makes each send at most once (docs/api.md). */
@Entity('notifications')
@Index(['ruleId', 'eventId'], { unique: true })
@Index(['tenantId', 'createdAt'])
@Index('idx_notifications_due', ['nextAttemptAt'], { where: "status IN ('queued', 'sending')" })
@Index('idx_notifications_event', ['eventId'])
export class Notification {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @Column('text')
  ruleId: string;

  @ManyToOne(() => NotificationRule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_id', foreignKeyConstraintName: 'fk_notifications_rule' })
  private readonly ruleRef?: NotificationRule;

  @Column('text')
  eventId: string;

  @ManyToOne(() => Event, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'fk_notifications_event' })
  private readonly eventRef?: Event;

  @Column('text')
  eventType: string;

  @Column('text')
  channel: string;

  /** The resolved target (chat id, URL, phone); null until resolved. */
  @Column('text', { nullable: true })
  target: string | null;

  @Column('text')
  status: NotificationStatus;

  @Column('text', { nullable: true })
  skipReason: string | null;

  @Column('text', { nullable: true })
  renderedText: string | null;

  /** The provider's answer: its JSON, or `{text}` when it answered plain text. */
  @Column('jsonb', { nullable: true })
  providerResponse: object | null;

  @Column('int', { nullable: true })
  providerStatus: number | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('int', { default: 0 })
  attempts: number;

  /**
   * Give-backs in a row without a recorded attempt (an unexpected error, a lease that ran out); at
   * MAX_RELEASES (notification-recorder.ts) the notification ends `failed`. A recorded outcome resets it.
   */
  @Column('int', { default: 0 })
  releaseCount: number;

  @Column('timestamptz', { nullable: true })
  nextAttemptAt: Date | null;

  @Column('timestamptz', { nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
