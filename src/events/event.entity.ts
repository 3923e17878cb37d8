import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type EventSource = 'api' | 'inbound' | 'system';

/** A published event (CONTRACT §4.1): the record that deliveries point to. */
@Entity('events')
@Index(['tenantId', 'createdAt'])
@Index(['tenantId', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
export class Event {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @Column('text')
  eventType: string;

  @Column('jsonb')
  data: Record<string, unknown>;

  @Column('jsonb', { default: () => "'{}'" })
  metadata: Record<string, unknown>;

  @Column('text', { nullable: true })
  idempotencyKey: string | null;

  @Column('text', { default: 'api' })
  source: EventSource;

  @Column('text', { nullable: true })
  entityKey: string | null;

  @Column('text', { nullable: true })
  traceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
