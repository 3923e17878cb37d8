import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Source } from './source.entity';

export const INBOUND_STATUSES = ['pending', 'processing', 'completed', 'retrying', 'failed'] as const;
export type InboundStatus = (typeof INBOUND_STATUSES)[number];

/** One received webhook, stored before it is answered, then processed into events (docs/api.md). */
@Entity('inbound_events')
@Index(['sourceId', 'dedupKey'], { unique: true })
@Index(['tenantId', 'createdAt'])
@Index('idx_inbound_events_due', ['nextRetryAt'], { where: "status IN ('pending', 'retrying', 'processing')" })
export class InboundEvent {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @Column('text')
  sourceId: string;

  @ManyToOne(() => Source, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'source_id', foreignKeyConstraintName: 'fk_inbound_events_source' })
  private readonly sourceRef?: Source;

  @Column('text')
  provider: string;

  /** The route's `{kind}` for /webhooks/incoming/{kind}. */
  @Column('text', { nullable: true })
  kind: string | null;

  @Column('text', { nullable: true })
  eventType: string | null;

  @Column('text', { nullable: true })
  eventSubtype: string | null;

  @Column('text', { nullable: true })
  entityType: string | null;

  @Column('text', { nullable: true })
  entityId: string | null;

  @Column('text', { nullable: true })
  entityKey: string | null;

  @Column('text')
  dedupKey: string;

  @Column('text')
  status: InboundStatus;

  @Column('int', { default: 0 })
  retryCount: number;

  @Column('int', { default: 3 })
  maxRetries: number;

  /**
   * Times in a row a run was given back (after a database loss) or taken back (its lease ran out)
   * without finishing; reset when a run completes or fails. At MAX_RELEASES the event is `failed`
   * (src/database/release-claim.ts).
   */
  @Column('int', { default: 0 })
  releaseCount: number;

  @Column('text', { nullable: true })
  error: string | null;

  /** Request headers as received, secrets redacted. */
  @Column('jsonb')
  headers: Record<string, string>;

  /** `json`, not `jsonb`: the payload keeps its keys in the order the provider sent them. */
  @Column('json')
  payload: unknown;

  @Column('text')
  contentType: string;

  @Column('jsonb', { default: () => "'{}'" })
  executionContext: Record<string, unknown>;

  @Column('text', { nullable: true })
  traceId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  processingStartedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  processedAt: Date | null;

  /** When the next processing run is due; for `processing`, when a crashed run is taken back. */
  @Column('timestamptz', { nullable: true })
  nextRetryAt: Date | null;
}
