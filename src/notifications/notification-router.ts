import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bull';
import { EntityManager } from 'typeorm';
import { newId } from '../common/ids';
import { addPointerJobs } from '../common/queue-jobs';
import type { Event } from '../events/event.entity';
import { EventListener, EventsService } from '../events/events.service';
import { matchesAnyPattern } from '../subscriptions/event-pattern';
import { meetsAll } from './conditions';
import { NotificationRulesService } from './notification-rules.service';
import { Notification } from './notification.entity';
import { NOTIFICATION_QUEUE, NOTIFY_JOB, NotifyJob } from './notification.queue';

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

/**
 * Matches every new event against the tenant's rules inside the event's transaction, so the
 * notifications commit with the event (nothing acknowledged is lost), then queues them.
 * Stale events are recorded as skipped at once: they are never notified.
 */
@Injectable()
export class NotificationRouter implements EventListener, OnModuleInit {
  private readonly logger = new Logger(NotificationRouter.name);

  constructor(
    private readonly events: EventsService,
    private readonly rules: NotificationRulesService,
    @InjectQueue(NOTIFICATION_QUEUE) private readonly queue: Queue<NotifyJob>,
  ) {}

  onModuleInit(): void {
    this.events.addListener(this);
  }

  async onEventCreated(manager: EntityManager, event: Event): Promise<(() => Promise<void>) | undefined> {
    const view = ruleView(event);
    const matching = (await this.rules.activeRules(event.tenantId, manager)).filter(
      (rule) => matchesAnyPattern(rule.eventTypes, event.eventType) && meetsAll(view, rule.conditions),
    );
    if (matching.length === 0) return undefined;
    const stale = event.metadata.stale === true;
    const rows = matching.map((rule) =>
      manager.create(Notification, {
        id: newId('notification'),
        tenantId: event.tenantId,
        ruleId: rule.id,
        eventId: event.id,
        eventType: event.eventType,
        channel: rule.channel,
        status: stale ? 'skipped' : 'queued',
        skipReason: stale ? 'stale' : null,
        nextAttemptAt: stale ? null : new Date(),
      }),
    );
    await manager.createQueryBuilder().insert().into(Notification).values(rows).orIgnore().execute();
    const queued = rows.filter((r) => r.status === 'queued');
    return async () =>
      addPointerJobs(
        this.queue,
        NOTIFY_JOB,
        queued.map((n) => ({ jobId: `${n.id}:0`, data: { notificationId: n.id }, dueAt: null })),
        this.logger,
      );
  }
}
