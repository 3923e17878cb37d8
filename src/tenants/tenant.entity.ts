import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('tenants')
export class Tenant {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  name: string;

  /** IANA time zone for dates in notifications. */
  @Column('text', { default: 'UTC' })
  timezone: string;

  /** Locale of notifications and built-in templates (`ru`, `en`, …). */
  @Column('text', { default: 'en' })
  locale: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
