import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { groupBySweepSuffix } from '../common/queue-jobs';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DeliveryStore } from './delivery.store';

/** Due deliveries this much overdue are assumed to have lost their job. */
const OVERDUE_MS = 2_000;
const BATCH = 1_000;

/**
 * PostgreSQL is the record: every SWEEP_INTERVAL the sweeper queues again the deliveries whose time
 * has come but that no job served (Redis lost its data, a worker crashed mid-attempt and its lease
 * ran out, or queueing failed after a commit). Job ids are deterministic, so a delivery whose job
 * still exists is not queued twice, and the claim in the dispatcher makes any duplicate harmless.
 */
@Injectable()
export class DeliverySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliverySweeper.name);
  private readonly task: PeriodicTask;
  private readonly lostAfterMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: DeliveryStore,
    @InjectConfig() config: AppConfig,
  ) {
    this.lostAfterMs = 3 * config.sweepIntervalMs;
    this.task = new PeriodicTask('delivery sweep', config.sweepIntervalMs, () => this.sweep(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  /** Queues overdue deliveries again; returns how many. */
  async sweep(): Promise<number> {
    const due = await this.dataSource.query<
      { id: string; batch_id: string | null; attempt_count: number; overdue_ms: number }[]
    >(
      `SELECT id, batch_id, attempt_count, EXTRACT(EPOCH FROM now() - next_attempt_at) * 1000 AS overdue_ms FROM deliveries
       WHERE status IN ('queued', 'retrying', 'sending') AND next_attempt_at <= now() - $1 * interval '1 millisecond'
       ORDER BY next_attempt_at LIMIT $2`,
      [OVERDUE_MS, BATCH],
    );
    // a batch's members are claimed together: one job per batch
    const seen = new Set<string>();
    const rows = due.filter((r) => r.batch_id === null || (!seen.has(r.batch_id) && seen.add(r.batch_id)));
    if (rows.length === 0) return 0;
    for (const group of groupBySweepSuffix(rows, this.lostAfterMs)) {
      await this.store.enqueue(
        group.rows.map((r) => ({ id: r.id, attemptCount: r.attempt_count, nextAttemptAt: null })),
        group.suffix,
      );
    }
    this.logger.debug(`swept ${rows.length} overdue deliveries`);
    return rows.length;
  }
}
