import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The newest change Hookhub has seen of one provider entity, to detect out-of-order events (docs/api.md). */
@Entity('entity_states')
export class EntityState {
  @PrimaryColumn('text')
  tenantId: string;

  @PrimaryColumn('text')
  entityKey: string;

  /** The provider's own time of the newest change seen; null when the provider gives none. */
  @Column('timestamptz', { nullable: true })
  lastOccurredAt: Date | null;

  /** The newest change was a deletion. */
  @Column('boolean', { default: false })
  deleted: boolean;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
