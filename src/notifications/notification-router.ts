import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import type { Event } from '../events/event.entity';
import { EventListener, EventsService } from '../events/events.service';
import { matchesAnyPattern } from '../subscriptions/event-pattern';
import { meetsAll } from './conditions';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { NotificationRulesService, RoutingRule } from './notification-rules.service';
import { NOTIFICATION_WORK } from './notification.work';
import { InjectWorkQueue } from '../work/work.providers';
import type { WorkQueue } from '../work/work-queue';

/** The event as rule conditions and target paths see it. */
export function ruleView(
  event: Pick<Event, 'id' | 'eventType' | 'data' | 'metadata' | 'entityKey'>,
): Record<string, unknown> {
  return {
    event_id: event.id,
    event_type: event.eventType,
    entity_key: event.entityKey,
    data: event.data,
    metadata: event.metadata,
  };
}

/** The rules whose event types and conditions select `event`. */
export function matchingRules<R extends Pick<RoutingRule, 'eventTypes' | 'conditions'>>(
  rules: R[],
  event: Pick<Event, 'id' | 'eventType' | 'data' | 'metadata' | 'entityKey'>,
): R[] {
  const view = ruleView(event);
  return rules.filter((rule) => matchesAnyPattern(rule.eventTypes, event.eventType) && meetsAll(view, rule.conditions));
}

/** One notification per matching rule: queued now, or skipped at once for a stale event (never notified). */
export function notificationRows(
  rules: Pick<RoutingRule, 'id' | 'channel'>[],
  event: Pick<Event, 'id' | 'tenantId' | 'eventType' | 'metadata'>,
  now: Date,
): NewNotification[] {
  const stale = event.metadata.stale === true;
  return rules.map((rule) => ({
    id: newId('notification'),
    tenantId: event.tenantId,
    ruleId: rule.id,
    eventId: event.id,
    eventType: event.eventType,
    channel: rule.channel,
    status: stale ? 'skipped' : 'queued',
    skipReason: stale ? 'stale' : null,
    nextAttemptAt: stale ? null : now,
  }));
}

/**
 * Matches every new event against the tenant's rules inside the event's transaction, so the
 * notifications commit with the event (nothing acknowledged is lost), then queues them.
 * Stale events are recorded as skipped at once: they are never notified.
 */
@Injectable()
export class NotificationRouter implements EventListener, OnModuleInit {
  /** Rules read once per transaction and tenant: a transaction that publishes several events reads them once. */
  private readonly rulesByTransaction = new WeakMap<EntityManager, Map<string, Promise<RoutingRule[]>>>();

  constructor(
    private readonly events: EventsService,
    private readonly rules: NotificationRulesService,
    @InjectWorkQueue(NOTIFICATION_WORK) private readonly queue: WorkQueue,
    private readonly repository: NotificationsRepository,
  ) {}

  onModuleInit(): void {
    this.events.addListener(this);
  }

  async onEventCreated(manager: EntityManager, event: Event): Promise<(() => Promise<void>) | undefined> {
    const matching = matchingRules(await this.rulesOf(manager, event.tenantId), event);
    if (matching.length === 0) return undefined;
    const rows = notificationRows(matching, event, new Date());
    await this.repository.insertRouted(manager, rows);
    const queued = rows.filter((r) => r.status === 'queued');
    return async () => this.queue.enqueue(queued.map((n) => ({ id: n.id, run: 0, dueAt: null })));
  }

  /** The active rules of several tenants, in one statement (see EventsService.fanOutContexts). */
  contextOf(tenantIds: readonly string[]): Promise<Map<string, unknown>> {
    return this.repository.routingRules(tenantIds);
  }

  /** Rules read by the caller for this transaction: the router does not read them again. */
  useContext(manager: EntityManager, tenantId: string, context: unknown): void {
    if (!Array.isArray(context)) return;
    let byTenant = this.rulesByTransaction.get(manager);
    if (!byTenant) {
      byTenant = new Map();
      this.rulesByTransaction.set(manager, byTenant);
    }
    byTenant.set(tenantId, Promise.resolve(context as RoutingRule[]));
  }

  /** The tenant's active rules, read through the event's transaction (once per transaction). */
  private rulesOf(manager: EntityManager, tenantId: string): Promise<RoutingRule[]> {
    let byTenant = this.rulesByTransaction.get(manager);
    if (!byTenant) {
      byTenant = new Map();
      this.rulesByTransaction.set(manager, byTenant);
    }
    let rules = byTenant.get(tenantId);
    if (!rules) {
      rules = this.repository.routingRules([tenantId], manager).then((all) => all.get(tenantId)!);
      byTenant.set(tenantId, rules);
    }
    return rules;
  }
}
