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
import type { SignatureFormat } from '../common/signing';
import { Tenant } from '../tenants/tenant.entity';

export type Preset = 'slack' | 'telegram' | 'discord';

/** An outgoing webhook endpoint of a tenant (CONTRACT §3), with its running stats. */
@Entity('subscriptions')
@Index(['tenantId', 'createdAt'])
export class Subscription {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_subscriptions_tenant' })
  private readonly tenantRef?: Tenant;

  @Column('text')
  name: string;

  @Column('text')
  url: string;

  @Column('text', { array: true })
  events: string[];

  @Column('boolean', { default: true })
  active: boolean;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  metadata: Record<string, unknown>;

  /**
   * Extra delivery headers: name → value sealed with ENCRYPTION_KEY (write-only). Rows written before
   * sealing may hold plain values until their next write (see subscription-headers.ts).
   */
  @Column('jsonb', { default: () => "'{}'" })
  headers: Record<string, string>;

  @Column('int', { default: 10000 })
  timeoutMs: number;

  @Column('int', { nullable: true })
  rateLimitPerSecond: number | null;

  @Column('jsonb', { nullable: true })
  payloadTemplate: unknown;

  @Column('text', { nullable: true })
  preset: Preset | null;

  /** Deliveries of one entity_key leave in order when set (CONTRACT §4.4). */
  @Column('boolean', { default: false })
  ordered: boolean;

  /** What `X-Webhook-Signature` covers: `"<ts>.<body>"` (timestamped) or the body alone (body). */
  @Column('text', { default: 'timestamped' })
  signatureFormat: SignatureFormat;

  /**
   * Batch delivery: up to this many events in one request (a JSON array of envelopes); null sends one
   * event per request. Set together with batchMaxWaitMs.
   */
  @Column('int', { nullable: true })
  batchMaxEvents: number | null;

  /** Batch delivery: a batch leaves when its oldest event has waited this long, full or not. */
  @Column('int', { nullable: true })
  batchMaxWaitMs: number | null;

  /** The signing secret, sealed with ENCRYPTION_KEY. */
  @Column('text')
  secretSealed: string;

  /** The previous secret during a rotation, sealed; signs beside the new one until it expires. */
  @Column('text', { nullable: true })
  previousSecretSealed: string | null;

  @Column('timestamptz', { nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column('text', { nullable: true })
  disabledReason: string | null;

  @Column('timestamptz', { nullable: true })
  disabledAt: Date | null;

  /** Attempts made, attempts failed, attempts succeeded: updated as each attempt finishes. */
  @Column('int', { default: 0 })
  deliveriesCount: number;

  @Column('int', { default: 0 })
  failuresCount: number;

  @Column('int', { default: 0 })
  successesCount: number;

  /** Dead deliveries since the last success, and when that streak began. */
  @Column('int', { default: 0 })
  consecutiveDead: number;

  @Column('timestamptz', { nullable: true })
  failingSince: Date | null;

  @Column('timestamptz', { nullable: true })
  lastDeliveryAt: Date | null;

  @Column('text', { nullable: true })
  lastDeliveryStatus: string | null;

  @Column('int', { nullable: true })
  lastHttpStatus: number | null;

  @Column('timestamptz', { nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
