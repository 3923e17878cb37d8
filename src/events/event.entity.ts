import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Tenant } from '../tenants/tenant.entity';

export type EventSource = 'api' | 'inbound' | 'system';

/**
 * A published event (CONTRACT §4.1): the record that deliveries point to. The event log's indexes
 * (migrations/1796300100000-EventLog.ts) keep its keyset order (created_at, id) per tenant, alone
 * and per filter; those with an operator class or a condition are declared by name only.
 */
@Entity('events')
@Index('idx_events_log', ['tenantId', 'createdAt', 'id'])
@Index('idx_events_log_type', { synchronize: false })
@Index('idx_events_log_entity', { synchronize: false })
@Index('idx_events_log_source', { synchronize: false })
@Index('idx_events_data_trgm', { synchronize: false })
@Index(['tenantId', 'idempotencyKey'], { unique: true, where: 'idempotency_key IS NOT NULL' })
// trigram index of the data's text (when pg_trgm is available), built by migration 1796300000000-DeliveryLogIndexes
@Index('idx_events_data_trgm', { synchronize: false })
export class Event {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_events_tenant' })
  private readonly tenantRef?: Tenant;

  @Column('text')
  eventType: string;

  /** `json`, not `jsonb`: subscribers receive the keys in the order they were published. */
  @Column('json')
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

  /** The inbound event this event was normalised from (CONTRACT §5.3). */
  @Index()
  @Column('text', { nullable: true })
  inboundEventId: string | null;

  /** The source whose inbound webhook produced this event; null for events published otherwise. */
  @Column('text', { nullable: true })
  sourceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
