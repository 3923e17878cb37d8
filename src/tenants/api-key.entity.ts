import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Tenant } from './tenant.entity';

/** An API key of a tenant; only its SHA-256 is stored, the key itself is shown once. */
@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn('text')
  id: string;

  @Index()
  @Column('text')
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Tenant;

  @Column('text', { nullable: true })
  name: string | null;

  /** The first characters of the key, to recognise it in lists and logs. */
  @Column('text')
  prefix: string;

  @Index({ unique: true })
  @Column('text')
  keyHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
