import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { allOk, WriteBatcher } from '../common/write-batcher';
import { InjectConfig } from '../config/config.module';
import { isDatabaseUnavailable, isRefusedValue } from '../database/db-errors';
import { AppConfig } from '../config/env';
import { giveBack, takenBackTooOften } from '../database/release-claim';
import { storableJson, storableText } from '../common/storable';
import { Failure, FailureClass, nextStep } from '../work/retry-policy';
import { EventsService, FanOutContext, Inserted, PublishInput } from '../events/events.service';
import { selectedBy } from '../subscriptions/event-pattern';
import { providerDefinition } from '../integrations/providers';
import { NormalizedEvent, PermanentProcessingError } from '../integrations/provider';
import { ObserveInboundRun } from '../observability/instrument';
import { EntityStateService } from './entity-state.service';
import { toFirstAskers } from '../common/first-askers';
import { InboundEvent } from './inbound-event.entity';
import { InboundQueue } from './inbound.queue';
import { INBOUND_WORK } from './inbound.work';
import { Source } from './source.entity';
import { SourcesService } from './sources.service';
import { releaseInbound, WebhooksRepository } from './webhooks.repository';

/** True for a unique-index violation (SQLSTATE 23505). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

/**
 * The events a stored request means, by its source's normaliser. A normaliser reads only the request
 * and the source, so whatever it throws it would throw again: a PermanentProcessingError.
 */
function normalize(source: Source, inbound: InboundEvent): NormalizedEvent[] {
  try {
    return providerDefinition(source.provider).normalizer.normalize({
      source,
      payload: inbound.payload,
      headers: inbound.headers,
      kind: inbound.kind,
    });
  } catch (error) {
    if (error instanceof PermanentProcessingError) throw error;
    throw new PermanentProcessingError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/** How long a processing run may take before the sweeper takes it back. */
const LEASE_MS = INBOUND_WORK.leaseMs;

/** An inbound event this worker holds for one run, with its source, read in the claiming statement. */
interface Claimed {
  inbound: InboundEvent;
  source: Source | null;
  /**
   * The tenant's subscriptions and listeners' data, asked of their features once the group is
   * claimed; awaited within the run, so a failed read gives the claim back like any failure there.
   */
  fanOut: Promise<FanOutContext>;
  /** True when an earlier run was claimed before (a retry, a reclaimed lease, a release after a database loss). */
  ranBefore: boolean;
}

/** What a run hands to the completion transaction: the events to insert and what it found before. */
interface Completing {
  claimed: InboundEvent;
  normalized: NormalizedEvent[];
  /** Ids of events an earlier run published, by index (the fresh ones are filled in by the transaction). */
  published: string[];
  staleEvents: { event_type: string; reason: string }[];
  fresh: { index: number; input: PublishInput }[];
  fanOut: FanOutContext;
}

/** A committed completion: the run's new state and what to queue now that it is committed. */
interface Completed {
  completion: Partial<InboundEvent>;
  inserted: Inserted[];
}

/**
 * Turns stored inbound events into events: claim, normalise with the provider's normaliser,
 * publish through the same fan-out as POST /events, record; failures retry on INBOUND_RETRY_SCHEDULE
 * until `max_retries`, then the event is `failed`.
 */
@Injectable()
export class InboundProcessor {
  private readonly logger = new Logger(InboundProcessor.name);
  /**
   * Completions of runs finishing together, one transaction per batch, whose deliveries and
   * notifications are then queued together (one addBulk for the batch, not one per run); a refused
   * batch is retried run by run.
   */
  private readonly completions = new WriteBatcher<Completing, Completed>(
    async (runs) => {
      const done = await this.completeMany(runs);
      await this.queueCommitted(done);
      return allOk(done);
    },
    { maxItems: 20, maxInFlight: 4, retryAloneWhen: (error) => !isDatabaseUnavailable(error) },
  );
  private readonly claims = new WriteBatcher<string, Claimed | null>((ids) => this.claimMany(ids).then(allOk), {
    maxItems: 100,
    maxInFlight: 2,
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly queue: InboundQueue,
    private readonly entityStates: EntityStateService,
    private readonly sources: SourcesService,
    @InjectConfig() private readonly config: AppConfig,
    private readonly repository: WebhooksRepository,
  ) {}

  /**
   * One processing run; null when the event is not due or another worker holds it. Answers the
   * inbound event as this run left it (built in memory, not read back).
   */
  @ObserveInboundRun()
  async run(inboundEventId: string): Promise<InboundEvent | null> {
    const held = await this.claim(inboundEventId);
    if (!held) return null;
    const claimed = held.inbound;
    // a claim that takes a run back after its lease ran out counts a give-back
    const exhausted = takenBackTooOften(claimed.releaseCount);
    if (exhausted !== null) return this.end(claimed, exhausted);
    try {
      const source = held.source;
      const fanOut = await held.fanOut;
      if (!source) throw new PermanentProcessingError('the source no longer exists');
      // what a provider sent is storable since ingest; this also covers rows stored before, headers and kind
      const normalized = storableJson(normalize(source, claimed));
      try {
        return await this.publish(claimed, normalized, held.ranBefore, fanOut);
      } catch (error) {
        // another run published the same events meanwhile (a lease that ran out): look for them, once
        if (!isUniqueViolation(error)) throw error;
        return await this.publish(claimed, normalized, true, fanOut);
      }
    } catch (error) {
      if (isDatabaseUnavailable(error)) return this.release(claimed, error);
      // PostgreSQL refused the run's values: a retry would write the same ones
      if (isRefusedValue(error)) {
        const reason = `the run's result could not be stored: ${(error as Error).message}`;
        return this.fail(claimed, reason, Failure.permanent);
      }
      const failure = error instanceof PermanentProcessingError ? Failure.permanent : Failure.retry;
      return this.fail(claimed, (error as Error).message, failure);
    }
  }

  /**
   * Publishes the normalised events and records the run's completion in one transaction (shared
   * with runs finishing at the same moment, see {@link completeMany}): the completion commits with
   * what it published, or neither does, and jobs are queued only once it has committed. Each event's idempotency key
   * (`inbound:<id>:<index>`) is unique to this inbound event, so it cannot be older than the
   * idempotency window (no window reset), and on a first run nothing can hold it yet: only a re-run
   * (`checkEarlier`) looks for events an earlier run published, and the unique index on the key
   * (23505) catches a run that raced this one.
   */
  private async publish(
    claimed: InboundEvent,
    normalized: NormalizedEvent[],
    checkEarlier: boolean,
    fanOut: FanOutContext,
  ): Promise<InboundEvent> {
    const tenantId = claimed.tenantId;
    const published: string[] = [];
    const staleEvents: { event_type: string; reason: string }[] = [];
    const fresh: { index: number; input: PublishInput }[] = [];
    for (const [index, event] of normalized.entries()) {
      const idempotencyKey = `inbound:${claimed.id}:${index}`;
      // a re-run (after a crash or a failed run) must not observe an event it already published;
      // the key is this inbound event's alone, so whatever holds it, however old, is that event
      const earlier = checkEarlier
        ? await this.events.findIdempotent(tenantId, idempotencyKey, { anyAge: true })
        : null;
      if (earlier) {
        published[index] = earlier.id;
        if (earlier.metadata.stale === true) {
          staleEvents.push({ event_type: event.eventType, reason: String(earlier.metadata.stale_reason) });
        }
        continue;
      }
      const stale = await this.entityStates.observe(tenantId, event);
      if (stale) staleEvents.push({ event_type: event.eventType, reason: stale });
      fresh.push({
        index,
        input: {
          eventType: event.eventType,
          data: event.data,
          metadata: {
            inbound_event_id: claimed.id,
            source_id: claimed.sourceId,
            provider: claimed.provider,
            ...(event.occurredAt ? { occurred_at: event.occurredAt.toISOString() } : {}),
            ...(stale ? { stale: true, stale_reason: stale } : {}),
          },
          idempotencyKey,
          source: 'inbound',
          entityKey: event.entityKey ?? null,
          traceId: claimed.traceId,
          inboundEventId: claimed.id,
        },
      });
    }
    const { completion } = await this.completions.submit({
      claimed,
      normalized,
      published,
      staleEvents,
      fresh,
      fanOut,
    });
    return { ...claimed, ...completion };
  }

  /**
   * Queues the work of committed runs. Never throws: the runs are committed, so a failure here must
   * not fail the batch (its runs would be written again); the sweepers queue what was not.
   */
  private async queueCommitted(done: Completed[]): Promise<void> {
    try {
      await this.events.afterCommit(done.flatMap((d) => d.inserted));
    } catch (error) {
      this.logger.warn(
        `could not queue the work of ${done.length} completed runs, the sweepers will: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Commits the completions of several runs in one transaction: each run's events, deliveries and
   * notifications, then its completion UPDATE. A batch that fails is written again run by run (the
   * batcher's retryAloneWhen), so a bad run fails alone; a lost database fails them all.
   */
  private async completeMany(runs: Completing[]): Promise<Completed[]> {
    return this.dataSource.transaction(async (manager) => {
      const done: Completed[] = [];
      for (const run of runs) done.push(await this.completeWithin(manager, run));
      return done;
    });
  }

  /** One run's part of a completion transaction. */
  private async completeWithin(manager: EntityManager, run: Completing): Promise<Completed> {
    const { claimed, normalized, staleEvents, fanOut } = run;
    const tenantId = claimed.tenantId;
    const published = [...run.published];
    const inserted: Inserted[] = [];
    // each run hands over the context its claim read (runs of one tenant share the transaction)
    const active = this.events.useFanOutContext(manager, tenantId, fanOut);
    for (const { index, input } of run.fresh) {
      const done = await this.events.insertWithin(manager, tenantId, input, selectedBy(active, input.eventType), {
        resetIdempotencyWindow: false,
      });
      published[index] = done.event.id;
      inserted.push(done);
    }
    const first = normalized[0];
    const completion = {
      status: 'completed' as const,
      processedAt: new Date(),
      nextRetryAt: null,
      error: null,
      eventType: first?.eventType ?? null,
      eventSubtype: first?.eventSubtype ?? null,
      entityType: first?.entityType ?? null,
      entityId: first?.entityId ?? null,
      entityKey: first?.entityKey ?? null,
      executionContext: {
        ...claimed.executionContext,
        ...normalized.reduce<Record<string, unknown>>((all, e) => ({ ...all, ...e.context }), {}),
        events: published,
        event_types: normalized.map((e) => e.eventType),
        ...(staleEvents.length > 0 ? { stale: true, stale_events: staleEvents } : {}),
      },
    };
    await this.repository.complete(manager, claimed.id, completion);
    return { completion, inserted };
  }

  /**
   * The database went away mid-run: due again shortly (for the sweeper) rather than after the lease;
   * not a failed run, but `failed` at the MAX_RELEASES-th give-back in a row.
   */
  private async release(claimed: InboundEvent, error: unknown): Promise<null> {
    const { id } = claimed;
    await giveBack(
      {
        what: `inbound event ${id}`,
        releasesBefore: claimed.releaseCount,
        error,
        release: (releases) => releaseInbound(this.dataSource, id, releases),
        end: (releases, reason) =>
          this.dataSource.transaction(async (manager) => {
            await manager.update(
              InboundEvent,
              { id, status: 'processing' },
              {
                status: 'failed',
                error: reason,
                nextRetryAt: null,
                processedAt: () => 'now()',
                releaseCount: releases,
              },
            );
            await this.sources.recordError(manager, claimed.tenantId, claimed.sourceId, reason);
          }),
      },
      this.logger,
    );
    return null;
  }

  /** Ends a claimed run `failed` with `reason`, without retries (its give-backs are exhausted). */
  private async end(claimed: InboundEvent, reason: string): Promise<InboundEvent> {
    this.logger.error(`inbound event ${claimed.id} ended: ${reason}`);
    const outcome = { status: 'failed' as const, error: reason, nextRetryAt: null, processedAt: new Date() };
    await this.dataSource.transaction(async (manager) => {
      await manager.update(InboundEvent, { id: claimed.id, status: 'processing' }, outcome);
      await this.sources.recordError(manager, claimed.tenantId, claimed.sourceId, reason);
    });
    return { ...claimed, ...outcome };
  }

  /**
   * Takes a due inbound event for one run and reads it with its source; null when it is not this
   * worker's to run. Claims asked for at the same moment share one statement (see {@link claimMany}).
   */
  private claim(id: string): Promise<Claimed | null> {
    return this.claims.submit(id);
  }

  /**
   * Claims several inbound events in one statement, then asks for the fan-out context (subscriptions,
   * notification rules) of their tenants, once per tenant of the group: one statement per feature
   * asked, together (see EventsService.fanOutContexts). An event asked for twice goes to the first asker.
   */
  private async claimMany(ids: string[]): Promise<(Claimed | null)[]> {
    const unique = [...new Set(ids)].sort();
    const rows = await this.repository.claimInbound(unique, LEASE_MS);
    const contexts =
      rows.length === 0 ? null : this.events.fanOutContexts([...new Set(rows.map((r) => r.inbound.tenantId))]);
    const fanOutOf = (tenantId: string): Promise<FanOutContext> => {
      const context = contexts!.then((all) => all.get(tenantId)!);
      // handled by the run that awaits it; a run that ends before (give-backs exhausted) does not
      context.catch(() => undefined);
      return context;
    };
    return toFirstAskers(ids, rows, (row) => row.inbound.id).map((row) =>
      row === null ? null : { ...row, fanOut: fanOutOf(row.inbound.tenantId) },
    );
  }

  /**
   * Records a failed run, and its reason as the source's `last_error`: retried after the schedule's
   * delay, or `failed` once max_retries retries failed, or at once when permanent (no retry can help).
   */
  private async fail(event: InboundEvent, error: string, failure: FailureClass): Promise<InboundEvent | null> {
    const reason = storableText(error);
    const retryCount = event.retryCount + 1;
    const policy = INBOUND_WORK.retryPolicy(this.config);
    const step = nextStep(policy, { attempt: retryCount, failure, maxAttempts: event.maxRetries + 1 });
    const nextRetryAt = step.action === 'retry' ? step.at : null;
    const outcome = {
      status: nextRetryAt ? ('retrying' as const) : ('failed' as const),
      retryCount,
      error: reason,
      nextRetryAt,
      processedAt: new Date(),
      releaseCount: 0,
    };
    await this.dataSource.transaction(async (manager) => {
      await manager.update(InboundEvent, { id: event.id }, outcome);
      await this.sources.recordError(manager, event.tenantId, event.sourceId, reason);
    });
    this.logger.warn(`inbound event ${event.id} run ${retryCount} failed: ${reason}`);
    if (nextRetryAt) await this.queue.enqueue([{ id: event.id, retryCount, nextRetryAt }]);
    return { ...event, ...outcome };
  }
}
