import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ApiError } from '../common/api-error';
import { newId } from '../common/ids';
import { Delivery } from '../deliveries/delivery.entity';
import { DeliveryStore } from '../deliveries/delivery.store';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { EVENT_CATALOGUE } from './event-catalogue';
import { Event, EventSource } from './event.entity';

const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;

export interface PublishInput {
  eventType: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  idempotencyKey?: string | null;
  source?: EventSource;
  entityKey?: string | null;
  traceId?: string | null;
  /** Exactly this subscription, whatever its patterns (a test event); otherwise every matching one. */
  targetSubscriptionId?: string;
  /** The inbound event this one was normalised from. */
  inboundEventId?: string | null;
  /** Queue the attempts after the commit (default); false when the caller attempts at once. */
  enqueue?: boolean;
}

export interface Published {
  event: Event;
  deliveries: Delivery[];
  matched: number;
  /** True when an earlier event with the same idempotency key was answered instead. */
  replay: boolean;
}

/**
 * Work other features attach to every new event inside its transaction (so it commits with the
 * event or not at all), returning what to do after the commit (e.g. queue jobs).
 */
export interface EventListener {
  onEventCreated(manager: EntityManager, event: Event): Promise<(() => Promise<void>) | undefined>;
}

/** Publishing: the event and its delivery rows commit in one transaction, then their attempts are queued. */
@Injectable()
export class EventsService {
  private readonly listeners: EventListener[] = [];

  /** Attaches a feature to every new event (notifications). */
  addListener(listener: EventListener): void {
    this.listeners.push(listener);
  }

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Event) private readonly events: Repository<Event>,
    @InjectRepository(Delivery) private readonly deliveryRows: Repository<Delivery>,
    private readonly subscriptions: SubscriptionsService,
    private readonly deliveries: DeliveryStore,
  ) {}

  async publish(tenantId: string, input: PublishInput): Promise<Published> {
    if (input.idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
      if (earlier) return earlier;
    }
    const matching = input.targetSubscriptionId
      ? [await this.subscriptions.get(tenantId, input.targetSubscriptionId)]
      : await this.subscriptions.matching(tenantId, input.eventType);
    try {
      const published = await this.dataSource.transaction(async (manager) => {
        if (input.idempotencyKey) {
          // a key older than the window is free again
          await manager.update(
            Event,
            {
              tenantId,
              idempotencyKey: input.idempotencyKey,
              createdAt: LessThanOrEqual(new Date(Date.now() - IDEMPOTENCY_WINDOW_MS)),
            },
            { idempotencyKey: null },
          );
        }
        const event = manager.create(Event, {
          id: newId('event'),
          tenantId,
          eventType: input.eventType,
          data: input.data,
          metadata: input.metadata ?? {},
          idempotencyKey: input.idempotencyKey ?? null,
          source: input.source ?? 'api',
          entityKey: input.entityKey ?? null,
          traceId: input.traceId ?? null,
          inboundEventId: input.inboundEventId ?? null,
        });
        await manager.insert(Event, event as QueryDeepPartialEntity<Event>);
        const rows = await this.deliveries.createQueued(
          manager,
          matching.map((s) => ({
            tenantId,
            subscriptionId: s.id,
            eventId: event.id,
            eventType: event.eventType,
            entityKey: event.entityKey,
            traceId: event.traceId,
          })),
        );
        const afterCommit: (() => Promise<void>)[] = [];
        for (const listener of this.listeners) {
          const after = await listener.onEventCreated(manager, event);
          if (after) afterCommit.push(after);
        }
        return { event, deliveries: rows, matched: rows.length, replay: false, afterCommit };
      });
      if (input.enqueue !== false) await this.deliveries.enqueue(published.deliveries);
      for (const after of published.afterCommit) await after();
      return { event: published.event, deliveries: published.deliveries, matched: published.matched, replay: false };
    } catch (error) {
      if ((error as { code?: string }).code === '23505' && input.idempotencyKey) {
        const earlier = await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  async get(tenantId: string, id: string): Promise<{ event: Event; deliveries: Delivery[] }> {
    const event = await this.events.findOneBy({ id, tenantId });
    if (!event) throw ApiError.notFound('Event', id);
    const deliveries = await this.deliveryRows.find({ where: { eventId: id, tenantId }, order: { createdAt: 'ASC' } });
    return { event, deliveries };
  }

  /** The event published under an idempotency key in the last 24 h, if any. */
  async findIdempotent(tenantId: string, key: string): Promise<Event | null> {
    return (await this.findByIdempotencyKey(tenantId, key))?.event ?? null;
  }

  /** The events an inbound event produced, oldest first. */
  async producedBy(tenantId: string, inboundEventId: string): Promise<Event[]> {
    return this.events.find({ where: { tenantId, inboundEventId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Loads an event by id alone, for workers holding a delivery. */
  async findForDelivery(id: string): Promise<Event | null> {
    return this.events.findOneBy({ id });
  }

  /** The catalogue of known types, with the ones this tenant published in the last 30 days. */
  async eventTypes(tenantId: string): Promise<{ event_type: string; description: string | null; seen: boolean }[]> {
    const rows = await this.events
      .createQueryBuilder('e')
      .select('DISTINCT e.event_type', 'event_type')
      .where("e.tenant_id = :tenantId AND e.created_at > now() - interval '30 days'", { tenantId })
      .getRawMany<{ event_type: string }>();
    const seen = new Set(rows.map((r) => r.event_type));
    const known = new Map(EVENT_CATALOGUE.map((t) => [t.event_type, t.description]));
    const types = new Set([...known.keys(), ...seen]);
    return [...types]
      .sort()
      .map((type) => ({ event_type: type, description: known.get(type) ?? null, seen: seen.has(type) }));
  }

  private async findByIdempotencyKey(tenantId: string, key: string): Promise<Published | null> {
    const event = await this.events.findOneBy({
      tenantId,
      idempotencyKey: key,
      createdAt: MoreThan(new Date(Date.now() - IDEMPOTENCY_WINDOW_MS)),
    });
    if (!event) return null;
    const deliveries = await this.deliveryRows.findBy({ eventId: event.id, originalDeliveryId: IsNull() });
    return { event, deliveries, matched: deliveries.length, replay: true };
  }
}
