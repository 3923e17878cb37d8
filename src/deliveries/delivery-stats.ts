import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Subscription } from '../subscriptions/subscription.entity';
import { combineDeltas, StatsAccumulator, StatsDelta } from '../subscriptions/subscription-stats';
import { SubscriptionsService } from '../subscriptions/subscriptions.service';

/** How long the stats of finished attempts may wait in memory before they are written. */
export const STATS_FLUSH_MS = 250;

export type Streak = { consecutiveDead: number; failingSince: Date | null };

/**
 * The running stats of subscriptions (counters, last delivery, failure streak), kept out of the
 * attempt's transaction: each attempt's change is added up in memory per subscription and written
 * within {@link STATS_FLUSH_MS} by one UPDATE, so deliveries to one subscription no longer wait on
 * its row lock. Changes that decide something now (a dead delivery and its streak for auto-disable,
 * the first success after failures, a hand-driven /test attempt) are written through in the
 * attempt's transaction, together with whatever was pending for that subscription.
 *
 * A crash (not a shutdown) loses the counters of at most the last flush interval; deliveries and
 * attempts are unaffected.
 */
@Injectable()
export class DeliveryStats implements OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryStats.name);
  private readonly pending = new StatsAccumulator();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Whether an attempt's change should be written in its own transaction rather than later. */
  writesThrough(
    subscription: Pick<Subscription, 'id' | 'failingSince' | 'consecutiveDead'>,
    outcome: { ok: boolean; dead: boolean; handDriven: boolean },
  ): boolean {
    if (outcome.handDriven || outcome.dead) return true;
    return (
      outcome.ok &&
      (subscription.failingSince !== null ||
        subscription.consecutiveDead > 0 ||
        this.pending.hasFailure(subscription.id))
    );
  }

  /** Counts the change of an attempt whose record has committed; written within STATS_FLUSH_MS. */
  add(subscriptionId: string, delta: StatsDelta): void {
    this.pending.add(subscriptionId, delta);
    this.schedule();
  }

  /**
   * Writes the changes of `items` (in their order, each after anything pending for its subscription)
   * in `manager`'s transaction, with one statement. Returns the failure streak of each subscription
   * written and an `undo` to call when that transaction does not commit (the pending parts are kept
   * for later; the items' own changes are the caller's, whose attempts are then not recorded either).
   *
   * It waits for a flush under way (which may hold earlier changes of these subscriptions) before
   * it locks any subscription row, and never after, so a flush waiting on one of those rows cannot
   * wait on it in turn.
   */
  async writeThrough(
    manager: EntityManager,
    items: { subscriptionId: string; delta: StatsDelta }[],
  ): Promise<{ streaks: Map<string, Streak>; undo: () => void }> {
    while (this.flushing) await this.flushing;
    const earlier = new Map<string, StatsDelta>();
    const combined = new Map<string, StatsDelta>();
    for (const { subscriptionId: id, delta } of items) {
      if (!combined.has(id)) {
        const pending = this.pending.take(id);
        if (pending) earlier.set(id, pending);
      }
      const before = combined.get(id) ?? earlier.get(id);
      combined.set(id, before ? combineDeltas(before, delta) : delta);
    }
    const undo = (): void => {
      for (const [id, delta] of earlier) this.pending.putBack(id, delta);
      if (earlier.size > 0) this.schedule();
    };
    try {
      return { streaks: await this.subscriptions.applyStats(manager, combined), undo };
    } catch (error) {
      undo();
      throw error;
    }
  }

  /** Writes every pending change now (one statement); on failure they stay pending for the next try. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending.takeAll();
    this.flushing = this.subscriptions
      .applyStats(this.dataSource.manager, batch)
      .then(
        () => undefined,
        (error: Error) => {
          for (const [id, delta] of batch) this.pending.putBack(id, delta);
          this.logger.warn(`could not write the stats of ${batch.size} webhooks, trying again: ${error.message}`);
          this.schedule();
        },
      )
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, STATS_FLUSH_MS);
    this.timer.unref();
  }
}
