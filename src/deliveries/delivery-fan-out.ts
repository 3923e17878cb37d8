import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Event } from '../events/event.entity';
import { EventDelivery, EventFanOut, EventsService, FanOutTarget } from '../events/events.service';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import type { Delivery } from './delivery.entity';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveryStore } from './delivery.store';

/**
 * Ties deliveries to the features below them, which do not know deliveries: each new event gets one
 * queued delivery per matching subscription inside the event's transaction, queued once it has
 * committed; the event detail and log read an event's deliveries here; a subscription that stops
 * taking events has its waiting deliveries cancelled.
 */
@Injectable()
export class DeliveryFanOut implements EventFanOut, OnModuleInit {
  constructor(
    private readonly store: DeliveryStore,
    private readonly rows: DeliveriesRepository,
    private readonly events: EventsService,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  onModuleInit(): void {
    this.events.setFanOut(this);
    this.subscriptions.onDeactivated((subscriptionId) => this.store.cancelPending(subscriptionId));
  }

  createWithin(manager: EntityManager, event: Event, targets: Pick<FanOutTarget, 'id'>[]): Promise<Delivery[]> {
    return this.store.createQueued(
      manager,
      targets.map((s) => ({
        tenantId: event.tenantId,
        subscriptionId: s.id,
        eventId: event.id,
        eventType: event.eventType,
        entityKey: event.entityKey,
        traceId: event.traceId,
      })),
    );
  }

  enqueue(deliveries: EventDelivery[]): Promise<void> {
    return this.store.enqueue(deliveries);
  }

  ofEvent(tenantId: string, eventId: string, options?: { originalsOnly?: boolean }): Promise<Delivery[]> {
    return options?.originalsOnly
      ? this.rows.originalsOfEvent(tenantId, eventId)
      : this.rows.ofEvent(tenantId, eventId);
  }

  countsOf(tenantId: string, eventIds: string[]): Promise<Map<string, { all: number; failed: number }>> {
    return this.rows.countsByEvent(tenantId, eventIds);
  }
}
