import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Delivery } from './delivery.entity';

/** One HTTP attempt of a delivery, as sent and as answered (response body cut at 4 KiB). */
@Entity('delivery_attempts')
@Index(['deliveryId', 'attemptNumber'], { unique: true })
@Index(['createdAt'])
export class DeliveryAttempt {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  deliveryId: string;

  @ManyToOne(() => Delivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'fk_attempts_delivery' })
  private readonly deliveryRef?: Delivery;

  @Column('text')
  tenantId: string;

  @Column('int')
  attemptNumber: number;

  @Column('boolean')
  success: boolean;

  @Column('int', { nullable: true })
  httpStatus: number | null;

  @Column('int')
  responseTimeMs: number;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('text', { nullable: true })
  errorKind: string | null;

  @Column('text')
  requestUrl: string;

  @Column('jsonb')
  requestHeaders: Record<string, string>;

  @Column('text')
  requestBody: string;

  @Column('jsonb', { default: () => "'{}'" })
  responseHeaders: Record<string, string>;

  @Column('text', { nullable: true })
  responseBody: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
