import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, MoreThan, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { newId } from '../common/ids';
import { storableJson, storableText } from '../common/storable';
import { FanOutTarget, SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { EVENT_CATALOGUE } from './event-catalogue';
import { EventLogRow, EventsRepository } from './events.repository';
import { encodeCursor } from '../common/pagination';
import type { EventLogFilter } from './event-log';
import { Event, EventSource } from './event.entity';

const IDEMPOTENCY_WINDOW_MS = 24 * 3_600_000;

export interface PublishInput {
  eventType: string;
  data: Record<string, unknown>;
  /** For `source: 'inbound'`, `metadata.source_id` (what the inbound processor records) is kept as the event's source. */
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

/** A page of the event log: its events (with their delivery counts) and the cursor of the next page. */
export interface EventLogPage {
  items: { event: Event; deliveries: number; failedDeliveries: number }[];
  nextCursor: string | null;
}

export interface Published {
  event: Event;
  deliveries: EventDelivery[];
  matched: number;
  /** True when an earlier event with the same idempotency key was answered instead. */
  replay: boolean;
}

/** The text fields of a published event that come from outside, by their name in the API. */
const OUTSIDE_TEXT = {
  data: 'data',
  metadata: 'metadata',
  entityKey: 'entity_key',
  idempotencyKey: 'idempotency_key',
} as const;

/**
 * The input with NUL and lone surrogates replaced by U+FFFD (common/storable.ts) in its data,
 * metadata and keys, so an event is never refused by PostgreSQL for one odd character, nor makes
 * later reads of it fail. The management API (`source: 'api'`) is answered 400 VALIDATION_FAILED
 * instead, naming the field: it is the client's own input, and it should know rather than find other
 * text delivered. Events from inbound traffic arrive clean (see the inbound processor).
 */
function storableInput(input: PublishInput): PublishInput {
  const clean = {
    data: storableJson(input.data),
    metadata: storableJson(input.metadata),
    entityKey: storableText(input.entityKey),
    idempotencyKey: storableText(input.idempotencyKey),
  };
  const changed = (Object.keys(OUTSIDE_TEXT) as (keyof typeof OUTSIDE_TEXT)[]).filter((k) => clean[k] !== input[k]);
  if (changed.length === 0) return input;
  if ((input.source ?? 'api') === 'api') {
    throw ApiError.validation(
      'The event holds text that cannot be stored: NUL characters (\\u0000) or unpaired UTF-16 surrogates.',
      changed.map((k) => ({
        field: OUTSIDE_TEXT[k],
        message: `${OUTSIDE_TEXT[k]} must not contain NUL characters (\\u0000) or unpaired UTF-16 surrogates`,
      })),
    );
  }
  return { ...input, ...clean };
}

/** The inbound source an event came from: recorded by the inbound processor in its metadata. */
function inboundSourceOf(input: PublishInput): string | null {
  const sourceId = input.metadata?.source_id;
  return input.source === 'inbound' && typeof sourceId === 'string' ? sourceId : null;
}

export type { FanOutTarget };

/** One event inserted in a caller's transaction: what to queue once that transaction commits. */
export interface Inserted {
  event: Event;
  deliveries: EventDelivery[];
  afterCommit: (() => Promise<void>)[];
}

/**
 * Work other features attach to every new event inside its transaction (so it commits with the
 * event or not at all), returning what to do after the commit (e.g. queue jobs).
 */
export interface EventListener {
  onEventCreated(manager: EntityManager, event: Event): Promise<(() => Promise<void>) | undefined>;
  /**
   * Optional: what the listener reads per tenant for `onEventCreated`, for several tenants at once
   * (one statement for a group of work, see `fanOutContexts`); `useContext` hands a tenant's value
   * to the listener for one transaction.
   */
  contextOf?(tenantIds: readonly string[]): Promise<Map<string, unknown>>;
  useContext?(manager: EntityManager, tenantId: string, context: unknown): void;
}

/**
 * Fan-out of a new event to its subscriptions, attached by the deliveries feature: one queued
 * delivery per target inserted inside the event's transaction (they commit together), their first
 * attempts queued once it has committed (all of a group commit's events at once).
 */
export interface EventFanOut {
  createWithin(manager: EntityManager, event: Event, targets: Pick<FanOutTarget, 'id'>[]): Promise<EventDelivery[]>;
  enqueue(deliveries: EventDelivery[]): Promise<void>;
  /** An event's deliveries, oldest first; with `originalsOnly`, not the new ones a manual retry made. */
  ofEvent(tenantId: string, eventId: string, options?: { originalsOnly?: boolean }): Promise<EventDelivery[]>;
  /** How many deliveries each event has, and how many of them are retrying or dead. */
  countsOf(tenantId: string, eventIds: string[]): Promise<Map<string, { all: number; failed: number }>>;
}

/** A delivery as publishing and the event detail see it (the deliveries feature owns the rows). */
export interface EventDelivery {
  id: string;
  subscriptionId: string;
  status: string;
  attemptCount: number;
  lastHttpStatus: number | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
}

/** What fan-out reads per tenant: the active subscriptions, and what each listener asked for (in listener order). */
export interface FanOutContext {
  targets: FanOutTarget[];
  listeners: unknown[];
}

/** Publishing: the event and its delivery rows commit in one transaction, then their attempts are queued. */
@Injectable()
export class EventsService {
  private readonly listeners: EventListener[] = [];

  private fanOut: EventFanOut | null = null;

  /** Attaches a feature to every new event (notifications). */
  addListener(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Attaches the feature that makes each new event's deliveries (the deliveries feature's DeliveryFanOut). */
  setFanOut(fanOut: EventFanOut): void {
    this.fanOut = fanOut;
  }

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Event) private readonly events: Repository<Event>,
    private readonly subscriptions: SubscriptionsService,
    private readonly subscriptionRows: SubscriptionsRepository,
    private readonly eventRows: EventsRepository,
  ) {}

  async publish(tenantId: string, given: PublishInput): Promise<Published> {
    const input = storableInput(given);
    if (input.idempotencyKey) {
      const earlier = await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
      if (earlier) return earlier;
    }
    const matching = input.targetSubscriptionId
      ? [await this.subscriptions.get(tenantId, input.targetSubscriptionId)]
      : await this.subscriptions.matching(tenantId, input.eventType);
    try {
      const published = await this.dataSource.transaction((manager) =>
        // a key given to POST /events may have been used more than 24 h ago: the window is reset first
        this.insertWithin(manager, tenantId, input, matching, { resetIdempotencyWindow: true }),
      );
      await this.afterCommit([published], input.enqueue !== false);
      return {
        event: published.event,
        deliveries: published.deliveries,
        matched: published.deliveries.length,
        replay: false,
      };
    } catch (error) {
      if ((error as { code?: string }).code === '23505' && input.idempotencyKey) {
        const earlier = await this.findByIdempotencyKey(tenantId, input.idempotencyKey);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * Inserts an event, its queued deliveries (one per target) and the listeners' work inside the
   * caller's transaction; nothing is queued until `afterCommit`. With `resetIdempotencyWindow`, an
   * event holding the same idempotency key for longer than the window gives the key up first; a
   * caller whose keys cannot be that old (unique per inbound event) skips that statement. A key
   * already held answers 23505 (the unique index), which aborts the transaction.
   */
  async insertWithin(
    manager: EntityManager,
    tenantId: string,
    input: PublishInput,
    targets: Pick<FanOutTarget, 'id'>[],
    options: { resetIdempotencyWindow: boolean },
  ): Promise<Inserted> {
    const idempotencyKey = input.idempotencyKey ?? null;
    if (idempotencyKey && options.resetIdempotencyWindow) {
      await this.eventRows.releaseIdempotencyKey(
        manager,
        tenantId,
        idempotencyKey,
        new Date(Date.now() - IDEMPOTENCY_WINDOW_MS),
      );
    }
    const event = Object.assign(new Event(), {
      id: newId('event'),
      tenantId,
      eventType: input.eventType,
      data: input.data,
      metadata: input.metadata ?? {},
      idempotencyKey,
      source: input.source ?? 'api',
      entityKey: input.entityKey ?? null,
      traceId: input.traceId ?? null,
      inboundEventId: input.inboundEventId ?? null,
      sourceId: inboundSourceOf(input),
    });
    event.createdAt = await this.eventRows.insert(manager, event);
    const deliveries = this.fanOut ? await this.fanOut.createWithin(manager, event, targets) : [];
    const afterCommit: (() => Promise<void>)[] = [];
    for (const listener of this.listeners) {
      const after = await listener.onEventCreated(manager, event);
      if (after) afterCommit.push(after);
    }
    return { event, deliveries, afterCommit };
  }

  /** After the inserting transaction committed: queues the deliveries' attempts (unless `enqueue` is false) and the listeners' work. */
  async afterCommit(inserted: Inserted[], enqueue = true): Promise<void> {
    if (enqueue && this.fanOut) await this.fanOut.enqueue(inserted.flatMap((i) => i.deliveries));
    for (const i of inserted) for (const after of i.afterCommit) await after();
  }

  /**
   * The fan-out context of each tenant — its active subscriptions and each listener's per-tenant
   * data — for a group of work (the inbound processor's claimed runs): one statement per feature
   * asked, all at once, whatever the number of tenants. A caller hands a tenant's value to
   * `useFanOutContext`. A listener without `contextOf` reads its own data in `onEventCreated`.
   */
  async fanOutContexts(tenantIds: readonly string[]): Promise<Map<string, FanOutContext>> {
    const [targets, ...parts] = await Promise.all([
      this.subscriptionRows.activeTargets(tenantIds),
      ...this.listeners.map((l) => (l.contextOf ? l.contextOf(tenantIds) : Promise.resolve(null))),
    ]);
    return new Map(
      tenantIds.map((tenantId) => [
        tenantId,
        { targets: targets.get(tenantId) ?? [], listeners: parts.map((part) => part?.get(tenantId) ?? null) },
      ]),
    );
  }

  /** Hands the listeners their part of a context read with `fanOutContexts`, for `manager`'s transaction; answers the targets. */
  useFanOutContext(manager: EntityManager, tenantId: string, context: FanOutContext): FanOutTarget[] {
    this.listeners.forEach((listener, i) => {
      const part = context.listeners[i];
      if (listener.useContext && part !== undefined && part !== null) listener.useContext(manager, tenantId, part);
    });
    return context.targets;
  }

  async get(tenantId: string, id: string): Promise<{ event: Event; deliveries: EventDelivery[] }> {
    const event = await this.events.findOneBy({ id, tenantId });
    if (!event) throw ApiError.notFound('Event', id);
    const deliveries = this.fanOut ? await this.fanOut.ofEvent(tenantId, id) : [];
    return { event, deliveries };
  }

  /** One page of the tenant's event log, newest first (see event-log.ts). */
  async list(tenantId: string, filter: EventLogFilter): Promise<EventLogPage> {
    const rows = await this.eventRows.logPage(tenantId, filter);
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > filter.limit && last ? encodeCursor({ at: last.position_at, id: last.id }) : null;
    const counts = await this.deliveryCounts(
      tenantId,
      page.map((r) => r.id),
    );
    const items = page.map((row) => ({
      event: eventOfRow(tenantId, row),
      deliveries: counts.get(row.id)?.all ?? 0,
      failedDeliveries: counts.get(row.id)?.failed ?? 0,
    }));
    return { items, nextCursor };
  }

  /** How many deliveries each event has, and how many of them are retrying or dead. */
  private async deliveryCounts(
    tenantId: string,
    eventIds: string[],
  ): Promise<Map<string, { all: number; failed: number }>> {
    if (eventIds.length === 0 || !this.fanOut) return new Map();
    return this.fanOut.countsOf(tenantId, eventIds);
  }

  /**
   * The event published under an idempotency key in the last 24 h, if any; with `anyAge`, however
   * old (for keys that only one producer ever uses, such as an inbound event's: whatever holds the
   * key was published by that producer).
   */
  async findIdempotent(tenantId: string, key: string, options: { anyAge?: boolean } = {}): Promise<Event | null> {
    return this.events.findOneBy({
      tenantId,
      idempotencyKey: key,
      ...(options.anyAge ? {} : { createdAt: MoreThan(new Date(Date.now() - IDEMPOTENCY_WINDOW_MS)) }),
    });
  }

  /** The events an inbound event produced, oldest first. */
  async producedBy(tenantId: string, inboundEventId: string): Promise<Event[]> {
    return this.events.find({ where: { tenantId, inboundEventId }, order: { createdAt: 'ASC', id: 'ASC' } });
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
    const deliveries = this.fanOut ? await this.fanOut.ofEvent(tenantId, event.id, { originalsOnly: true }) : [];
    return { event, deliveries, matched: deliveries.length, replay: true };
  }
}

function eventOfRow(tenantId: string, row: EventLogRow): Event {
  return Object.assign(new Event(), {
    id: row.id,
    tenantId,
    eventType: row.event_type,
    data: row.data,
    metadata: row.metadata,
    source: row.source,
    sourceId: row.source_id,
    inboundEventId: row.inbound_event_id,
    idempotencyKey: row.idempotency_key,
    entityKey: row.entity_key,
    traceId: row.trace_id,
    createdAt: row.created_at,
  });
}
