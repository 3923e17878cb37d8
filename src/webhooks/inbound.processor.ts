import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { groupBySweepSuffix, processJobs } from '../common/queue-jobs';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { InboundProcessor } from './inbound-processor.service';
import { INBOUND_QUEUE, InboundQueue, PROCESS_JOB, ProcessJob } from './inbound.queue';

/** Inbound events this much overdue are assumed to have lost their job. */
const OVERDUE_MS = 2_000;
const BATCH = 1_000;
const CONCURRENCY = 20;

/**
 * Worker side of ingest (APP_ROLE worker or all): processes the inbound queue, and sweeps
 * PostgreSQL for pending, retrying or crashed runs that no job holds (after a Redis loss, or a
 * crash between the commit and the queueing), queueing them again under deterministic job ids.
 */
@Injectable()
export class InboundWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(InboundWorker.name);
  private readonly sweeper: PeriodicTask;
  private readonly lostAfterMs: number;

  constructor(
    @InjectQueue(INBOUND_QUEUE) private readonly bull: Queue<ProcessJob>,
    private readonly processor: InboundProcessor,
    private readonly queue: InboundQueue,
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
  ) {
    this.lostAfterMs = 3 * config.sweepIntervalMs;
    this.sweeper = new PeriodicTask('inbound sweep', config.sweepIntervalMs, () => this.sweep(), this.logger);
  }

  onApplicationBootstrap(): void {
    // the job's result stays out of Redis: PostgreSQL holds the outcome (and the payload would be written there for nothing)
    processJobs(
      this.bull,
      PROCESS_JOB,
      CONCURRENCY,
      async (job) => {
        await this.processor.run(job.inboundEventId);
      },
      this.logger,
    );
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  /** Queues overdue inbound events again; returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.dataSource.query<{ id: string; retry_count: number; overdue_ms: number }[]>(
      `SELECT id, retry_count, EXTRACT(EPOCH FROM now() - next_retry_at) * 1000 AS overdue_ms FROM inbound_events
       WHERE status IN ('pending', 'retrying', 'processing') AND next_retry_at <= now() - $1 * interval '1 millisecond'
       ORDER BY next_retry_at LIMIT $2`,
      [OVERDUE_MS, BATCH],
    );
    for (const group of groupBySweepSuffix(rows, this.lostAfterMs)) {
      await this.queue.enqueue(
        group.rows.map((r) => ({ id: r.id, retryCount: r.retry_count, nextRetryAt: null })),
        group.suffix,
      );
    }
    return rows.length;
  }
}
