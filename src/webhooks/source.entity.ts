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
import type { SourceConfig } from '../integrations/provider';
import type { Provider } from '../integrations/providers';
import { Tenant } from '../tenants/tenant.entity';
import type { VerificationScheme } from './verification/verifier';

/** Where incoming webhooks come from, and how they are verified (docs/api.md). */
@Entity('sources')
@Index(['tenantId', 'createdAt'])
export class Source {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_sources_tenant' })
  private readonly tenantRef?: Tenant;

  @Column('text')
  name: string;

  @Column('text')
  provider: Provider;

  @Column('text')
  scheme: VerificationScheme;

  /** The verification secret, sealed with ENCRYPTION_KEY; null for `none`. */
  @Column('text', { nullable: true })
  secretSealed: string | null;

  /** Header-name override of the scheme (shared-token, hmac-sha256). */
  @Column('text', { nullable: true })
  header: string | null;

  @Column('int', { default: 300 })
  toleranceS: number;

  @Column('jsonb', { default: () => "'{}'" })
  config: SourceConfig;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('timestamptz', { nullable: true })
  deletedAt: Date | null;

  /** Why the newest failed processing run of one of its inbound events failed; kept until a later failure. */
  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  lastErrorAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
