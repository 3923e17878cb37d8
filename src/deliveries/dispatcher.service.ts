import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { InjectRepository } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { DataSource, Repository } from 'typeorm';
import { redactExtraHeaders } from '../common/http-headers';
import { newId } from '../common/ids';
import { InjectConfig } from '../config/config.module';
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
import { DELIVERY_QUEUE } from './delivery.queue';
import { deliveryBody, deliveryHeaders, UnsendableBody } from './delivery-request';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { DeliveryStore } from './delivery.store';
import { HttpSender, SendResult } from './http-sender';
import { nextRetryDelay, parseRetryAfter } from './retry-schedule';
import { toFirstAskers } from '../common/first-askers';
import { allOk, WriteBatcher } from '../common/write-batcher';
import { EntityColumns, entityColumns } from '../database/raw-rows';
import { isRefusedValue } from '../database/db-errors';
import { giveBack, takenBackTooOften } from '../database/release-claim';
import { storableText } from '../common/storable';

/** How long a claimed attempt may run before the sweeper takes it back (longest timeout plus margin). */
const LEASE_MS = 90_000;
/** How long an ordered delivery waits before looking again whether its predecessor has finished. */
const ORDER_WAIT_MS = 250;

interface Claimed {
  delivery: Delivery;
  subscription: Subscription | null;
  event: Event | null;
}

export interface AttemptOutcome {
  delivery: Delivery;
  attempt: DeliveryAttempt;
  result: SendResult;
}

/** Runs delivery attempts: claim, sign, send, record, then schedule the next one or give up. */
@Injectable()
export class Dispatcher implements OnApplicationShutdown {
  private readonly logger = new Logger(Dispatcher.name);
  private readonly sender: HttpSender;
  private readonly columns: {
    delivery: EntityColumns<Delivery>;
    subscription: EntityColumns<Subscription>;
    event: EntityColumns<Event>;
  };
  private readonly claimSql: string;
  private readonly attempts: AttemptWriter;
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
  ) {
    this.sender = new HttpSender({ allowPrivate: config.allowPrivateUrls, allowHttp: config.allowHttpUrls });
    this.attempts = new AttemptWriter(dataSource, stats);
    this.claims = new WriteBatcher((ids) => this.claimMany(ids).then(allOk), { maxItems: 100, maxInFlight: 2 });
    this.columns = {
      delivery: entityColumns(dataSource, Delivery, 'd', 'd_'),
      subscription: entityColumns(dataSource, Subscription, 's', 's_'),
      event: entityColumns(dataSource, Event, 'e', 'e_'),
    };
    // claim: due (queued or retrying, up to a second early) or a crashed attempt whose lease ran out
    // (taking that one back counts as a give-back: see MAX_RELEASES)
    this.claimSql = `WITH d AS (
        UPDATE deliveries SET status = 'sending', next_attempt_at = now() + $2 * interval '1 millisecond', updated_at = now(),
          release_count = release_count + CASE WHEN status = 'sending' THEN 1 ELSE 0 END
        WHERE id = ANY($1::text[]) AND (
          (status IN ('queued', 'retrying') AND next_attempt_at <= now() + interval '1 second')
          OR (status = 'sending' AND next_attempt_at < now()))
        RETURNING *)
      SELECT ${this.columns.delivery.select}, ${this.columns.subscription.select}, ${this.columns.event.select}
      FROM d LEFT JOIN subscriptions s ON s.id = d.subscription_id LEFT JOIN events e ON e.id = d.event_id`;
  }

  /** After the queue has drained its active jobs (closing twice is harmless), so no attempt meets a closed client. */
  async onApplicationShutdown(): Promise<void> {
    await this.deliveryQueue.close();
    await this.stats.flush();
    await this.sender.close();
  }

  /** The queued attempt of a delivery; null when it is not due or someone else holds it. */
  async run(deliveryId: string): Promise<AttemptOutcome | null> {
    const claimed = await this.claimLoaded(deliveryId);
    if (!claimed) return null;
    const { delivery } = claimed;
    const reason = takenBackTooOften(delivery.releaseCount);
    if (reason !== null) {
      this.logger.error(`delivery ${delivery.id} ended: ${reason}`);
      await this.finish(delivery, 'dead', reason);
      return null;
    }
    try {
      return await this.attemptLoaded(claimed, { retry: true });
    } catch (error) {
      await this.release(delivery, error);
      throw error;
    }
  }

  /**
   * Gives a claimed delivery back after an unexpected error (the database went away mid-attempt, a
   * transient failure): due again shortly, for the sweeper, instead of waiting out its lease; `dead`
   * instead at the MAX_RELEASES-th give-back in a row. Best effort: when even this fails, the lease
   * runs out and the delivery is taken back anyway.
   */
  private async release(delivery: Delivery, error: unknown): Promise<void> {
    await giveBack(
      {
        what: `delivery ${delivery.id}`,
        releasesBefore: delivery.releaseCount,
        error,
        release: (releases) =>
          this.dataSource.query(
            `UPDATE deliveries SET status = CASE WHEN attempt_count = 0 THEN 'queued' ELSE 'retrying' END,
               next_attempt_at = now() + interval '3 seconds', release_count = $2
             WHERE id = $1 AND status = 'sending'`,
            [delivery.id, releases],
          ),
        end: (releases, reason) =>
          this.dataSource.query(
            `UPDATE deliveries SET status = 'dead', last_error = $3, next_attempt_at = NULL, completed_at = now(),
               updated_at = now(), release_count = $2
             WHERE id = $1 AND status = 'sending'`,
            [delivery.id, releases, reason],
          ),
      },
      this.logger,
    );
  }

  /** Takes a due delivery for one attempt; a crashed attempt's lease runs out and it is taken again. */
  async claim(deliveryId: string): Promise<Delivery | null> {
    return (await this.claimLoaded(deliveryId))?.delivery ?? null;
  }

  /**
   * Claims a due delivery and loads it with its subscription and event; null when it is not due or
   * someone else holds it. The subscription (deleted ones included) or the event is null when its
   * row is gone. Claims made at the same moment share one statement (see {@link claimMany}).
   */
  private claimLoaded(deliveryId: string): Promise<Claimed | null> {
    return this.claims.submit(deliveryId);
  }

  /** Claims several deliveries and loads them in one statement; a delivery asked for twice goes to the first asker. */
  private async claimMany(ids: string[]): Promise<(Claimed | null)[]> {
    const unique = [...new Set(ids)].sort();
    const rows = await this.dataSource.query<Record<string, unknown>[]>(this.claimSql, [unique, LEASE_MS]);
    return toFirstAskers(ids, rows, (row) => row.d_id as string).map((row) =>
      row
        ? {
            delivery: this.columns.delivery.read(row)!,
            subscription: this.columns.subscription.read(row),
            event: this.columns.event.read(row),
          }
        : null,
    );
  }

  /** One attempt of a claimed delivery. With `retry: false` a failure is final (used by /test). */
  async attempt(delivery: Delivery, options: { retry: boolean }): Promise<AttemptOutcome | null> {
    const subscription = await this.subscriptions.findForDelivery(delivery.subscriptionId);
    const event = subscription ? await this.events.findForDelivery(delivery.eventId) : null;
    return this.attemptLoaded({ delivery, subscription, event }, options);
  }

  private async attemptLoaded(
    { delivery, subscription, event }: Claimed,
    options: { retry: boolean },
  ): Promise<AttemptOutcome | null> {
    if (!subscription || subscription.deletedAt || !subscription.active) {
      await this.finish(delivery, 'cancelled', 'the webhook was disabled or deleted');
      return null;
    }
    if (!event) {
      await this.finish(delivery, 'dead', 'the event no longer exists');
      return null;
    }
    // a /test attempt (retry: false) goes out now: no ordering, no rate limit
    if (options.retry && subscription.ordered && (await this.waitsForEarlier(delivery))) {
      await this.postpone(delivery, ORDER_WAIT_MS);
      return null;
    }
    if (options.retry && (await this.overRateLimit(subscription))) {
      await this.postpone(delivery, 1000 - (Date.now() % 1000) + Math.floor(Math.random() * 50));
      return null;
    }
    let secrets: string[];
    let extraHeaders: Record<string, string>;
    try {
      secrets = this.subscriptions.signingSecrets(subscription);
      extraHeaders = this.subscriptions.extraHeaders(subscription);
    } catch {
      // retrying cannot help: the secret was sealed with another ENCRYPTION_KEY
      this.logger.error(`webhook ${subscription.id}: cannot decrypt its secret; was ENCRYPTION_KEY changed?`);
      await this.finish(delivery, 'dead', 'the signing secret cannot be decrypted (ENCRYPTION_KEY changed?)');
      return null;
    }
    const number = delivery.attemptCount + 1;
    const input = {
      subscription: { ...subscription, headers: extraHeaders },
      event,
      deliveryId: delivery.id,
      attempt: number,
      traceId: delivery.traceId,
      secrets,
      timestamp: Math.floor(Date.now() / 1000),
    };
    let body: string;
    try {
      body = deliveryBody(input, this.config.maxDeliveryBodyBytes);
    } catch (error) {
      // over MAX_DELIVERY_BODY_BYTES, or a template that cannot be rendered: no retry would change it
      if (!(error instanceof UnsendableBody)) throw error;
      return this.recordUnsent(delivery, subscription, event, { number, error, retry: options.retry });
    }
    const headers = deliveryHeaders(input, body);
    const result = await this.sender.send({ url: subscription.url, headers, body, timeoutMs: subscription.timeoutMs });
    return this.record(delivery, subscription, event, { number, headers, body, result, retry: options.retry });
  }

  /** Records an attempt whose body could not be sent (nothing was sent): the delivery is `dead`. */
  private recordUnsent(
    delivery: Delivery,
    subscription: Subscription,
    event: Event,
    a: { number: number; error: UnsendableBody; retry: boolean },
  ): Promise<AttemptOutcome> {
    this.logger.warn(`delivery ${delivery.id} attempt ${a.number} not sent: ${a.error.message}`);
    const result: SendResult = {
      ok: false,
      httpStatus: null,
      responseTimeMs: 0,
      error: storableText(a.error.message),
      errorKind: a.error.kind,
      responseHeaders: {},
      responseBody: '',
      retryAfter: undefined,
    };
    return this.record(delivery, subscription, event, { ...a, headers: {}, body: '', result, final: true });
  }

  private async record(
    delivery: Delivery,
    subscription: Subscription,
    event: Event,
    a: {
      number: number;
      headers: Record<string, string>;
      body: string;
      result: SendResult;
      retry: boolean;
      /** No retry can help (the body cannot be sent): `dead` after this attempt. */
      final?: boolean;
    },
  ): Promise<AttemptOutcome> {
    const { result } = a;
    const gone = result.httpStatus === 410;
    const delay = result.ok || gone || !a.retry || a.final ? null : this.retryDelay(a.number, result);
    const status: DeliveryStatus = result.ok ? 'success' : delay === null ? 'dead' : 'retrying';
    const attempt = Object.assign(new DeliveryAttempt(), {
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
      requestBody: a.body,
      responseHeaders: result.responseHeaders,
      responseBody: result.responseBody,
    });
    Object.assign(delivery, {
      status,
      attemptCount: a.number,
      lastAttemptAt: new Date(),
      lastHttpStatus: result.httpStatus,
      lastError: result.error,
      nextAttemptAt: delay === null ? null : new Date(Date.now() + delay),
      completedAt: status === 'retrying' ? null : new Date(),
    });
    const delta = outcomeDelta({ ok: result.ok, dead: status === 'dead', status, httpStatus: result.httpStatus });
    const writeThrough = this.stats.writesThrough(subscription, {
      ok: result.ok,
      dead: status === 'dead',
      handDriven: !a.retry,
    });
    // settles once the attempt is committed (batched with the attempts finishing beside it)
    let streak: Streak | null;
    try {
      streak = await this.attempts.record({
        attempt,
        delivery,
        stats: writeThrough ? { subscriptionId: subscription.id, delta } : null,
      });
    } catch (error) {
      if (!isRefusedValue(error)) throw error;
      return this.endUnrecorded({ delivery, attempt, result }, error);
    }
    if (!writeThrough) this.stats.add(subscription.id, delta);
    if (status === 'retrying') await this.store.enqueue([delivery]);
    if (gone && a.retry) await this.disable(subscription, 'the endpoint answered 410 Gone');
    else if (status === 'dead' && a.retry && streak) await this.maybeAutoDisable(subscription, streak);
    this.logger.debug(`delivery ${delivery.id} attempt ${a.number} for ${event.id}: ${status}`);
    return { delivery, attempt, result };
  }

  /**
   * PostgreSQL refused the attempt for its values (see isRefusedValue): writing it again cannot
   * succeed, so the delivery ends `dead` with the error rather than being given back for ever.
   */
  private async endUnrecorded(outcome: AttemptOutcome, error: unknown): Promise<AttemptOutcome> {
    const { delivery, attempt, result } = outcome;
    const answered = result.httpStatus === null ? '' : ` (HTTP ${result.httpStatus})`;
    const reason = storableText(
      `attempt ${attempt.attemptNumber}${answered} could not be stored: ${(error as Error).message}; the delivery is not retried`,
    );
    this.logger.error(`delivery ${delivery.id}: ${reason}`);
    Object.assign(delivery, { status: 'dead', lastError: reason, nextAttemptAt: null, completedAt: new Date() });
    await this.attempts.endUnrecorded(delivery, reason);
    return outcome;
  }

  private retryDelay(attemptsMade: number, result: SendResult): number | null {
    const retryAfterMs =
      result.httpStatus === 429 || result.httpStatus === 503 ? parseRetryAfter(result.retryAfter) : undefined;
    return nextRetryDelay(this.config.deliveryRetrySchedule, attemptsMade, { retryAfterMs });
  }

  private async finish(delivery: Delivery, status: 'cancelled' | 'dead', reason: string): Promise<void> {
    await this.deliveries.update(
      { id: delivery.id },
      { status, lastError: reason, nextAttemptAt: null, completedAt: () => 'now()' },
    );
  }

  /** Gives a claimed delivery back, due again after `delayMs` (rate limit). */
  private async postpone(delivery: Delivery, delayMs: number): Promise<void> {
    const nextAttemptAt = new Date(Date.now() + delayMs);
    const status: DeliveryStatus = delivery.attemptCount === 0 ? 'queued' : 'retrying';
    await this.deliveries.update({ id: delivery.id }, { status, nextAttemptAt });
    await this.store.enqueue([{ ...delivery, nextAttemptAt }], `rl${nextAttemptAt.getTime()}`);
  }

  /** For ordered endpoints: an earlier delivery of the same entity_key is still on its way. */
  private async waitsForEarlier(delivery: Delivery): Promise<boolean> {
    if (!delivery.entityKey) return false;
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM deliveries
       WHERE subscription_id = $1 AND entity_key = $2 AND status IN ('queued', 'sending', 'retrying')
         AND (created_at, id) < ($3, $4)
       LIMIT 1`,
      [delivery.subscriptionId, delivery.entityKey, delivery.createdAt, delivery.id],
    );
    return rows.length > 0;
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
