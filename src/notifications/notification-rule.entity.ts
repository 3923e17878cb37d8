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
import { Tenant } from '../tenants/tenant.entity';

export const CHANNELS = ['telegram', 'slack', 'whatsapp'] as const;
export const CONDITION_OPS = ['eq', 'neq', 'in', 'exists', 'contains'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface RuleCondition {
  path: string;
  op: ConditionOp;
  value?: unknown;
}

/** Booking suppression settings (docs/api.md); on by default for booking events. */
export interface SuppressionSettings {
  /** Text in the booking comment that marks a booking made by our own bot. */
  bot_marker?: string;
  /** Minutes of client activity (inbound messages) that make a notice unnecessary. */
  active_client_minutes?: number;
  enabled?: boolean;
}

/** A rule turning events into messages (docs/api.md). */
@Entity('notification_rules')
@Index(['tenantId', 'createdAt'])
export class NotificationRule {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  tenantId: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'fk_notification_rules_tenant' })
  private readonly tenantRef?: Tenant;

  @Column('text')
  name: string;

  @Column('text', { array: true })
  eventTypes: string[];

  @Column('jsonb', { default: () => "'[]'" })
  conditions: RuleCondition[];

  @Column('text')
  channel: (typeof CHANNELS)[number];

  /** A fixed chat id, channel URL or phone, or a path into the event (`data.client.phone`). */
  @Column('text')
  target: string;

  /** A Handlebars template source, or null when `templateId` names a built-in one. */
  @Column('text', { nullable: true })
  template: string | null;

  @Column('text', { nullable: true })
  templateId: string | null;

  /** Telegram parse mode of the rendered text. */
  @Column('text', { nullable: true })
  parseMode: string | null;

  @Column('text', { nullable: true })
  locale: string | null;

  @Column('text', { nullable: true })
  timezone: string | null;

  /** Channel credentials (bot token, WhatsApp access token), sealed with ENCRYPTION_KEY. */
  @Column('text', { nullable: true })
  credentialsSealed: string | null;

  @Column('jsonb', { default: () => "'{}'" })
  suppression: SuppressionSettings;

  /** Send this WhatsApp template (name, language, body parameter templates) instead of text. */
  @Column('jsonb', { nullable: true })
  whatsappTemplate: { name: string; language: string; parameters: string[] } | null;

  @Column('boolean', { default: true })
  active: boolean;

  @Column('timestamptz', { nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
