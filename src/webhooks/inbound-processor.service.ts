import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { InjectConfig } from '../config/config.module';
import { isDatabaseUnavailable } from '../database/db-errors';
import { AppConfig } from '../config/env';
import { nextRetryDelay } from '../deliveries/retry-schedule';
import { EventsService } from '../events/events.service';
import { integrationsRegistry } from '../integrations/lazy-registry';
import { EntityStateService } from './entity-state.service';
import { InboundEvent } from './inbound-event.entity';
import { InboundQueue } from './inbound-queue.service';
import { Source } from './source.entity';

/** How long a processing run may take before the sweeper takes it back. */
const LEASE_MS = 30_000;

/**
 * Turns stored inbound events into events: claim, normalise with the provider's normaliser,
 * publish through the same fan-out as POST /events, record; failures retry on INBOUND_RETRY_SCHEDULE
 * until `max_retries`, then the event is `failed`.
 */
@Injectable()
export class InboundProcessor {
  private readonly logger = new Logger(InboundProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(InboundEvent) private readonly inbound: Repository<InboundEvent>,
    @InjectRepository(Source) private readonly sources: Repository<Source>,
    private readonly events: EventsService,
    private readonly queue: InboundQueue,
    private readonly entityStates: EntityStateService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** One processing run; null when the event is not due or another worker holds it. */
  async run(inboundEventId: string): Promise<InboundEvent | null> {
    if (!(await this.claim(inboundEventId))) return null;
    let claimed: InboundEvent | null = null;
    try {
      claimed = await this.inbound.findOneByOrFail({ id: inboundEventId });
      const source = await this.sources.findOneBy({ id: claimed.sourceId });
      if (!source) throw new Error('the source no longer exists');
      const normalized = integrationsRegistry().normalizerFor(source.provider).normalize({
        source,
        payload: claimed.payload,
        headers: claimed.headers,
        kind: claimed.kind,
      });
      const published = [];
      const staleEvents: { event_type: string; reason: string }[] = [];
      for (const [index, event] of normalized.entries()) {
        const idempotencyKey = `inbound:${claimed.id}:${index}`;
        // a re-run (after a crash or a failed run) must not observe an event it already published
        const earlier = await this.events.findIdempotent(claimed.tenantId, idempotencyKey);
        if (earlier) {
          published.push(earlier.id);
          if (earlier.metadata.stale === true) {
            staleEvents.push({ event_type: event.eventType, reason: String(earlier.metadata.stale_reason) });
          }
          continue;
        }
        const stale = await this.entityStates.observe(claimed.tenantId, event);
        if (stale) staleEvents.push({ event_type: event.eventType, reason: stale });
        const { event: stored } = await this.events.publish(claimed.tenantId, {
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
        });
        published.push(stored.id);
      }
      const first = normalized[0];
      await this.inbound.update(
        { id: claimed.id },
        {
          status: 'completed',
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
        },
      );
      return this.inbound.findOneBy({ id: claimed.id });
    } catch (error) {
      if (!claimed || isDatabaseUnavailable(error)) return this.release(inboundEventId);
      return this.fail(claimed, (error as Error).message);
    }
  }

  /** The database went away mid-run: due again shortly (for the sweeper) rather than after the lease; not a failed run. */
  private async release(id: string): Promise<null> {
    await this.inbound
      .update({ id, status: 'processing' }, { status: 'retrying', nextRetryAt: () => "now() + interval '3 seconds'" })
      .catch((error: Error) =>
        this.logger.warn(`inbound event ${id} stays claimed until its lease ends: ${error.message}`),
      );
    return null;
  }

  /** Takes a due inbound event for one run; true when this worker holds it now. */
  private async claim(id: string): Promise<boolean> {
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE inbound_events SET status = 'processing', processing_started_at = now(),
         next_retry_at = now() + $2 * interval '1 millisecond'
       WHERE id = $1 AND (
         (status IN ('pending', 'retrying') AND (next_retry_at IS NULL OR next_retry_at <= now() + interval '1 second'))
         OR (status = 'processing' AND next_retry_at < now()))
       RETURNING id`,
      [id, LEASE_MS],
    );
    return rows.length > 0;
  }

  /** Records a failed run: retried after the schedule's delay, or `failed` once max_retries retries failed. */
  private async fail(event: InboundEvent, reason: string): Promise<InboundEvent | null> {
    const retryCount = event.retryCount + 1;
    const exhausted = retryCount > event.maxRetries;
    const delay = exhausted
      ? null
      : nextRetryDelay(this.config.inboundRetrySchedule, Math.min(retryCount, this.config.inboundRetrySchedule.length));
    const nextRetryAt = delay === null ? null : new Date(Date.now() + delay);
    await this.inbound.update(
      { id: event.id },
      { status: nextRetryAt ? 'retrying' : 'failed', retryCount, error: reason, nextRetryAt, processedAt: new Date() },
    );
    this.logger.warn(`inbound event ${event.id} run ${retryCount} failed: ${reason}`);
    if (nextRetryAt) await this.queue.enqueue([{ id: event.id, retryCount, nextRetryAt }]);
    return this.inbound.findOneBy({ id: event.id });
  }
}
