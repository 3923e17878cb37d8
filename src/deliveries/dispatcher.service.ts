import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { InjectRepository } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource, In, Repository } from 'typeorm';
import { redactExtraHeaders } from '../common/http-headers';
import { newId } from '../common/ids';
import { InjectConfig } from '../config/config.module';
import { CarryTraceparent, ObserveDeliveryAttempt } from '../observability/instrument';
import { AppConfig } from '../config/env';
import { Event } from '../events/event.entity';
import { EventsService } from '../events/events.service';
import { InjectRedis } from '../redis/redis.module';
import { Subscription } from '../subscriptions/subscription.entity';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';
import { outcomeDelta } from '../subscriptions/subscription-stats';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { AttemptWriter } from './attempt-writer';
import { DeliveryStats, Streak } from './delivery-stats';
import { DELIVERY_QUEUE, DELIVERY_WORK } from './delivery.work';
import {
  AttemptResult,
  batchBody,
  batchHeaders,
  batchMemberBodies,
  deliveryBody,
  deliveryHeaders,
  UnsendableBody,
} from './delivery-request';
import { BatchClaims } from './batch-claims';
import { DeliveryBatches } from './delivery-batches';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { DeliveryStore } from './delivery.store';
import { DeliveriesRepository, endDeliveries, releaseDeliveries } from './deliveries.repository';
import { EventsRepository } from '../events/events.repository';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository';
import { HttpSender } from '../common/http-sender';
import { deliveryFailure } from './delivery-failure';
import { toFirstAskers } from '../common/first-askers';
import { allOk, WriteBatcher } from '../common/write-batcher';
import { isRefusedValue } from '../database/db-errors';
import { giveBack, takenBackTooOften } from '../database/release-claim';
import { storableText } from '../common/storable';
import { nextStep } from '../work/retry-policy';

/** How long a claimed attempt may run before the sweeper takes it back (longest timeout plus margin). */
const LEASE_MS = DELIVERY_WORK.leaseMs;
/** How long an ordered delivery waits before looking again whether its predecessor has finished. */
const ORDER_WAIT_MS = 250;

/**
 * What one attempt sends: one delivery, or the members of a batch (in batch order), each with its
 * event (null when its row is gone), and their subscription (deleted ones included; null when gone).
 */
interface Claimed {
  deliveries: Delivery[];
  events: (Event | null)[];
  subscription: Subscription | null;
}

/** Claimed deliveries ready to send, every event present. */
interface Unit {
  deliveries: Delivery[];
  events: Event[];
  subscription: Subscription;
}

/** The subscription's secrets and extra headers, opened. */
interface Opened {
  secrets: string[];
  headers: Record<string, string>;
}

/** An attempt made (or refused before sending): its headers and each delivery's body (a batch member's part). */
interface Attempted {
  number: number;
  headers: Record<string, string>;
  bodies: string[];
  result: AttemptResult;
  retry: boolean;
  /** No retry can help (the body cannot be sent): `dead` after this attempt. */
  final?: boolean;
}

/** `delivery dlv_…`, or `batch bat_… (n deliveries)`, for the logs. */
function describe(deliveries: Delivery[]): string {
  const [lead] = deliveries;
  return lead.batchId ? `batch ${lead.batchId} (${deliveries.length} deliveries)` : `delivery ${lead.id}`;
}

export interface AttemptOutcome {
  delivery: Delivery;
  attempt: DeliveryAttempt;
  result: AttemptResult;
}

/** Runs delivery attempts: claim, sign, send, record, then schedule the next one or give up. */
@Injectable()
export class Dispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(Dispatcher.name);
  private readonly sender: HttpSender;
  private readonly attempts: AttemptWriter;
  private readonly batchClaims: BatchClaims;
  private readonly claims: WriteBatcher<string, Claimed | null>;

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Delivery) private readonly deliveries: Repository<Delivery>,
    private readonly store: DeliveryStore,
    private readonly subscriptions: SubscriptionsService,
    private readonly stats: DeliveryStats,
    private readonly events: EventsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectRedis() private readonly redis: Redis,
    @InjectQueue(DELIVERY_QUEUE) private readonly deliveryQueue: Queue,
    private readonly repository: DeliveriesRepository,
    private readonly subscriptionRows: SubscriptionsRepository,
    private readonly eventRows: EventsRepository,
  ) {
    this.sender = new HttpSender({ allowPrivate: config.allowPrivateUrls, allowHttp: config.allowHttpUrls });
    this.attempts = new AttemptWriter(dataSource, repository, stats);
    this.batchClaims = new BatchClaims(new DeliveryBatches(repository, subscriptionRows, eventRows), store, {
      leaseMs: LEASE_MS,
      pollMs: ORDER_WAIT_MS,
      maxBodyBytes: config.maxDeliveryBodyBytes,
    });
    this.claims = new WriteBatcher((ids) => this.claimMany(ids).then(allOk), { maxItems: 100, maxInFlight: 2 });
  }

  /** After the queue has drained its active jobs (closing twice is harmless), so no attempt meets a closed client. */
  async onApplicationShutdown(): Promise<void> {
    await this.deliveryQueue.close();
    await this.stats.flush();
    await this.sender.close();
  }

  /**
   * The queued attempt of a delivery, or of the batch it belongs to or forms; null when it is not due
   * or someone else holds it.
   */
  async run(deliveryId: string): Promise<AttemptOutcome | null> {
    const claimed = (await this.claimLoaded(deliveryId)) ?? (await this.claimBatch(deliveryId));
    if (!claimed) return null;
    const { deliveries } = claimed;
    const reason = takenBackTooOften(deliveries[0].releaseCount);
    if (reason !== null) {
      this.logger.error(`${describe(deliveries)} ended: ${reason}`);
      await this.finish(deliveries, 'dead', reason);
      return null;
    }
    try {
      return await this.attemptLoaded(await this.batchClaims.fitFirst(claimed), { retry: true });
    } catch (error) {
      await this.release(deliveries, error);
      throw error;
    }
  }

  /**
   * Gives claimed deliveries (one, or a batch's members together) back after an unexpected error (the
   * database went away mid-attempt, a transient failure): due again shortly, for the sweeper, instead
   * of waiting out their lease; `dead` instead at the MAX_RELEASES-th give-back in a row. Best effort:
   * when even this fails, the lease runs out and they are taken back anyway.
   */
  private async release(deliveries: Delivery[], error: unknown): Promise<void> {
    const ids = deliveries.map((d) => d.id);
    await giveBack(
      {
        what: describe(deliveries),
        releasesBefore: deliveries[0].releaseCount,
        error,
        release: (releases) => releaseDeliveries(this.dataSource, ids, releases),
        end: (releases, reason) => endDeliveries(this.dataSource, ids, releases, reason),
      },
      this.logger,
    );
  }

  /**
   * Takes a due delivery for one attempt; a crashed attempt's lease runs out and it is taken again.
   * A delivery waiting to join a batch is taken as a batch of its own (POST /webhooks/{id}/test).
   */
  async claim(deliveryId: string): Promise<Delivery | null> {
    const alone = await this.claimLoaded(deliveryId);
    if (alone) return alone.deliveries[0];
    return (await this.batchClaims.claimAlone(deliveryId))?.deliveries[0] ?? null;
  }

  /**
   * Claims a due delivery sent alone and loads it with its subscription and event; null when it is
   * not due, someone else holds it, or it goes in a batch. The subscription (deleted ones included) or
   * the event is null when its row is gone. Claims made at the same moment share one statement (see
   * {@link claimMany}).
   */
  private claimLoaded(deliveryId: string): Promise<Claimed | null> {
    return this.claims.submit(deliveryId);
  }

  /**
   * Claims several deliveries and loads them; a delivery asked for twice goes to the first asker.
   * The subscriptions and events of the group are asked of their features once, together, before the
   * claim: it needs to know which subscriptions batch (their queued deliveries wait for a batch).
   * Three round trips per group (routes; subscriptions with events; the claim), whatever its size.
   */
  private async claimMany(ids: string[]): Promise<(Claimed | null)[]> {
    const unique = [...new Set(ids)].sort();
    const routes = await this.repository.routes(unique);
    const [subscriptions, events] = await Promise.all([
      this.subscriptionRows.byIds(routes.map((r) => r.subscriptionId)),
      this.eventRows.byIds(routes.map((r) => r.eventId)),
    ]);
    const batched = [...subscriptions.values()].filter((s) => s.batchMaxEvents !== null).map((s) => s.id);
    const claimed = routes.length === 0 ? [] : await this.repository.claimAlone(unique, LEASE_MS, batched);
    return toFirstAskers(ids, claimed, (d) => d.id).map((delivery) =>
      delivery
        ? {
            deliveries: [delivery],
            events: [events.get(delivery.eventId) ?? null],
            subscription: subscriptions.get(delivery.subscriptionId) ?? null,
          }
        : null,
    );
  }

  /** The batch path (see BatchClaims) of a job whose delivery is not sent alone, with the batch's subscription. */
  private async claimBatch(deliveryId: string): Promise<Claimed | null> {
    const batch = await this.batchClaims.claim(deliveryId);
    if (!batch) return null;
    return { ...batch, subscription: await this.subscriptions.findForDelivery(batch.deliveries[0].subscriptionId) };
  }

  /** One attempt of a claimed delivery (or batch). With `retry: false` a failure is final (used by /test). */
  async attempt(delivery: Delivery, options: { retry: boolean }): Promise<AttemptOutcome | null> {
    const subscription = await this.subscriptions.findForDelivery(delivery.subscriptionId);
    const event = subscription ? await this.eventRows.findById(delivery.eventId) : null;
    return this.attemptLoaded({ deliveries: [delivery], events: [event], subscription }, options);
  }

  private async attemptLoaded(claimed: Claimed, options: { retry: boolean }): Promise<AttemptOutcome | null> {
    const { deliveries, events, subscription } = claimed;
    if (!subscription || subscription.deletedAt || !subscription.active) {
      await this.finish(deliveries, 'cancelled', 'the webhook was disabled or deleted');
      return null;
    }
    if (events.some((event) => !event)) {
      await this.finish(deliveries, 'dead', 'the event no longer exists');
      return null;
    }
    const [lead] = deliveries;
    // a /test attempt (retry: false) goes out now: no ordering, no rate limit; a batch kept its
    // subscription's order when it formed
    if (options.retry && !lead.batchId && subscription.ordered && (await this.waitsForEarlier(lead))) {
      await this.postpone(deliveries, ORDER_WAIT_MS);
      return null;
    }
    if (options.retry && (await this.overRateLimit(subscription))) {
      await this.postpone(deliveries, 1000 - (Date.now() % 1000) + Math.floor(Math.random() * 50));
      return null;
    }
    let opened: Opened;
    try {
      opened = {
        secrets: this.subscriptions.signingSecrets(subscription),
        headers: this.subscriptions.extraHeaders(subscription),
      };
    } catch {
      // retrying cannot help: the secret was sealed with another ENCRYPTION_KEY
      this.logger.error(`webhook ${subscription.id}: cannot decrypt its secret; was ENCRYPTION_KEY changed?`);
      await this.finish(deliveries, 'dead', 'the signing secret cannot be decrypted (ENCRYPTION_KEY changed?)');
      return null;
    }
    return this.send({ deliveries, events: events as Event[], subscription }, opened, options);
  }

  /** Builds, sends and records one attempt. */
  @ObserveDeliveryAttempt()
  private async send(unit: Unit, opened: Opened, options: { retry: boolean }): Promise<AttemptOutcome> {
    const { deliveries, subscription } = unit;
    const number = deliveries[0].attemptCount + 1;
    let request: { headers: Record<string, string>; body: string; bodies: string[] };
    try {
      request = this.request(unit, opened, number);
    } catch (error) {
      // over MAX_DELIVERY_BODY_BYTES, or a template that cannot be rendered: no retry would change it
      if (!(error instanceof UnsendableBody)) throw error;
      return this.recordUnsent(deliveries, subscription, { number, error, retry: options.retry });
    }
    const { headers, body, bodies } = request;
    const result = await this.sender.send({ url: subscription.url, headers, body, timeoutMs: subscription.timeoutMs });
    return this.record(deliveries, subscription, { number, headers, bodies, result, retry: options.retry });
  }

  /**
   * The request of attempt `number`: one delivery's, or a batch's, whose body is the JSON array of its
   * members' envelopes (`bodies`: each delivery's part). UnsendableBody when it cannot be sent.
   */
  @CarryTraceparent()
  private request(
    unit: Unit,
    opened: Opened,
    number: number,
  ): { headers: Record<string, string>; body: string; bodies: string[] } {
    const [lead] = unit.deliveries;
    const subscription = { ...unit.subscription, headers: opened.headers };
    const common = { subscription, attempt: number, secrets: opened.secrets, timestamp: Math.floor(Date.now() / 1000) };
    const maxBytes = this.config.maxDeliveryBodyBytes;
    if (lead.batchId) {
      const input = { ...common, events: unit.events, batchId: lead.batchId };
      const bodies = batchMemberBodies(input);
      const body = batchBody(bodies, maxBytes);
      return { headers: batchHeaders(input, body), body, bodies };
    }
    const input = { ...common, event: unit.events[0], deliveryId: lead.id, traceId: lead.traceId };
    const body = deliveryBody(input, maxBytes);
    return { headers: deliveryHeaders(input, body), body, bodies: [body] };
  }

  /** Records an attempt whose body could not be sent (nothing was sent): the deliveries are `dead`. */
  private recordUnsent(
    deliveries: Delivery[],
    subscription: Subscription,
    a: { number: number; error: UnsendableBody; retry: boolean },
  ): Promise<AttemptOutcome> {
    this.logger.warn(`${describe(deliveries)} attempt ${a.number} not sent: ${a.error.message}`);
    const result: AttemptResult = {
      ok: false,
      httpStatus: null,
      responseTimeMs: 0,
      error: storableText(a.error.message),
      errorKind: a.error.kind,
      responseHeaders: {},
      responseBody: '',
      retryAfter: undefined,
    };
    const bodies = deliveries.map(() => '');
    return this.record(deliveries, subscription, { ...a, headers: {}, bodies, result, final: true });
  }

  /**
   * Records an attempt: one attempt row per delivery (a batch's members each get one, with their own
   * part of the body), their new state, the stats (a batch's attempt counts once); then queues the
   * next attempt, or disables the endpoint.
   */
  private async record(deliveries: Delivery[], subscription: Subscription, a: Attempted): Promise<AttemptOutcome> {
    const { result } = a;
    // DELIVERY_RETRY_SCHEDULE decides what follows a failure; a /test attempt (retry: false) is never retried
    const failure = deliveryFailure(result, a.final);
    const step = result.ok ? null : nextStep(DELIVERY_WORK.retryPolicy(this.config), { attempt: a.number, failure });
    const delay = step?.action === 'retry' && a.retry ? step.delayMs : null;
    const gone = step?.action === 'give-up' && step.because === 'gone';
    const status: DeliveryStatus = result.ok ? 'success' : delay === null ? 'dead' : 'retrying';
    const attempts = deliveries.map((d, i) => this.settle(d, subscription, a, { body: a.bodies[i], status, delay }));
    const delta = outcomeDelta({ ok: result.ok, dead: status === 'dead', status, httpStatus: result.httpStatus });
    const writeThrough = this.stats.writesThrough(subscription, {
      ok: result.ok,
      dead: status === 'dead',
      handDriven: !a.retry,
    });
    const stats = writeThrough ? { subscriptionId: subscription.id, delta } : null;
    const records = deliveries.map((delivery, i) => ({
      attempt: attempts[i],
      delivery,
      stats: i === 0 ? stats : null,
    }));
    // settles once the attempt is committed: a delivery alone batched with the attempts finishing
    // beside it, a batch's members in one transaction of their own
    let streak: Streak | null;
    try {
      streak = records.length === 1 ? await this.attempts.record(records[0]) : await this.attempts.recordAll(records);
    } catch (error) {
      if (!isRefusedValue(error)) throw error;
      return this.endUnrecorded(deliveries, { delivery: deliveries[0], attempt: attempts[0], result }, error);
    }
    if (!writeThrough) this.stats.add(subscription.id, delta);
    if (status === 'retrying') await this.store.enqueue([deliveries[0]]);
    if (gone && a.retry) await this.disable(subscription, 'the endpoint answered 410 Gone');
    else if (status === 'dead' && a.retry && streak) await this.maybeAutoDisable(subscription, streak);
    const [lead] = deliveries;
    // "delivery dlv_… attempt 2 for evt_…: retrying" (the fault specs count these lines)
    this.logger.debug(
      lead.batchId
        ? `${describe(deliveries)} attempt ${a.number}: ${status}`
        : `delivery ${lead.id} attempt ${a.number} for ${lead.eventId}: ${status}`,
    );
    return { delivery: deliveries[0], attempt: attempts[0], result };
  }

  /** The attempt row of one delivery; the delivery takes its new state. */
  private settle(
    delivery: Delivery,
    subscription: Subscription,
    a: Attempted,
    outcome: { body: string; status: DeliveryStatus; delay: number | null },
  ): DeliveryAttempt {
    const { result } = a;
    Object.assign(delivery, {
      status: outcome.status,
      attemptCount: a.number,
      lastAttemptAt: new Date(),
      lastHttpStatus: result.httpStatus,
      lastError: result.error,
      nextAttemptAt: outcome.delay === null ? null : new Date(Date.now() + outcome.delay),
      completedAt: outcome.status === 'retrying' ? null : new Date(),
    });
    return Object.assign(new DeliveryAttempt(), {
      id: newId('attempt'),
      deliveryId: delivery.id,
      tenantId: delivery.tenantId,
      attemptNumber: a.number,
      success: result.ok,
      httpStatus: result.httpStatus,
      responseTimeMs: result.responseTimeMs,
      error: result.error,
      errorKind: result.errorKind,
      requestUrl: subscription.url,
      // the log keeps Hookhub's own headers as sent, the subscription's extra headers (secrets) by name only
      requestHeaders: redactExtraHeaders(a.headers),
      requestBody: outcome.body,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
    });
  }

  /**
   * PostgreSQL refused the attempt for its values (see isRefusedValue): writing it again cannot
   * succeed, so the deliveries end `dead` with the error rather than being given back for ever.
   */
  private async endUnrecorded(
    deliveries: Delivery[],
    outcome: AttemptOutcome,
    error: unknown,
  ): Promise<AttemptOutcome> {
    const { attempt, result } = outcome;
    const answered = result.httpStatus === null ? '' : ` (HTTP ${result.httpStatus})`;
    const reason = storableText(
      `attempt ${attempt.attemptNumber}${answered} could not be stored: ${(error as Error).message}; the delivery is not retried`,
    );
    this.logger.error(`${describe(deliveries)}: ${reason}`);
    for (const delivery of deliveries) {
      Object.assign(delivery, { status: 'dead', lastError: reason, nextAttemptAt: null, completedAt: new Date() });
    }
    await this.attempts.endUnrecorded(deliveries, reason);
    return outcome;
  }

  private async finish(deliveries: Delivery[], status: 'cancelled' | 'dead', reason: string): Promise<void> {
    await this.deliveries.update(
      { id: In(deliveries.map((d) => d.id)) },
      { status, lastError: reason, nextAttemptAt: null, completedAt: () => 'now()' },
    );
  }

  /** Gives claimed deliveries back, due again after `delayMs` (rate limit, ordering); a batch's with one job. */
  private async postpone(deliveries: Delivery[], delayMs: number): Promise<void> {
    const nextAttemptAt = new Date(Date.now() + delayMs);
    const [lead] = deliveries;
    const status: DeliveryStatus = lead.attemptCount === 0 ? 'queued' : 'retrying';
    await this.deliveries.update({ id: In(deliveries.map((d) => d.id)) }, { status, nextAttemptAt });
    await this.store.enqueue([{ ...lead, nextAttemptAt }], `rl${nextAttemptAt.getTime()}`);
  }

  /** For ordered endpoints: an earlier delivery of the same entity_key is still on its way. */
  private async waitsForEarlier(delivery: Delivery): Promise<boolean> {
    if (!delivery.entityKey) return false;
    return this.repository.earlierOnItsWay(delivery);
  }

  private async overRateLimit(subscription: Subscription): Promise<boolean> {
    if (!subscription.rateLimitPerSecond) return false;
    const key = `${this.config.queuePrefix}:rate:${subscription.id}:${Math.floor(Date.now() / 1000)}`;
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 2000).exec()) as [[Error | null, number]];
    return count > subscription.rateLimitPerSecond;
  }

  /** DISABLE_AFTER_FAILURES dead deliveries in a row with no success for DISABLE_AFTER disable the endpoint. */
  private async maybeAutoDisable(
    subscription: Subscription,
    streak: { consecutiveDead: number; failingSince: Date | null },
  ): Promise<void> {
    const failingFor = streak.failingSince ? Date.now() - streak.failingSince.getTime() : 0;
    if (streak.consecutiveDead >= this.config.disableAfterFailures && failingFor >= this.config.disableAfterMs) {
      await this.disable(
        subscription,
        `${streak.consecutiveDead} consecutive deliveries failed with no success since ${streak.failingSince!.toISOString()}`,
      );
    }
  }

  /** Disables the endpoint, cancels its queued deliveries and tells the tenant's `webhook.disabled` subscribers. */
  private async disable(subscription: Subscription, reason: string): Promise<void> {
    if (!(await this.subscriptions.disable(subscription.id, reason))) return;
    this.logger.warn(`webhook ${subscription.id} disabled: ${reason}`);
    await this.events.publish(subscription.tenantId, {
      eventType: 'webhook.disabled',
      source: 'system',
      data: {
        webhook_id: subscription.id,
        name: subscription.name,
        url: subscription.url,
        reason,
        disabled_at: new Date().toISOString(),
      },
    });
  }
}
