import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { addPointerJobs, groupBySweepSuffix, processJobs } from '../common/queue-jobs';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { NOTIFICATION_QUEUE, NOTIFY_JOB, NotifyJob } from './notification.queue';
import { Notifier } from './notifier.service';

const CONCURRENCY = 20;
const OVERDUE_MS = 2_000;

/** Worker side of notifications: processes the queue and sweeps for notifications no job holds. */
@Injectable()
export class NotificationWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationWorker.name);
  private readonly sweeper: PeriodicTask;
  private readonly lostAfterMs: number;

  constructor(
    @InjectQueue(NOTIFICATION_QUEUE) private readonly queue: Queue<NotifyJob>,
    private readonly notifier: Notifier,
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
  ) {
    this.lostAfterMs = 3 * config.sweepIntervalMs;
    this.sweeper = new PeriodicTask('notification sweep', config.sweepIntervalMs, () => this.sweep(), this.logger);
  }

  onApplicationBootstrap(): void {
    processJobs(this.queue, NOTIFY_JOB, CONCURRENCY, (job) => this.notifier.run(job.notificationId), this.logger);
    this.sweeper.start();
  }

  onApplicationShutdown(): void {
    this.sweeper.stop();
  }

  async sweep(): Promise<number> {
    const rows = await this.dataSource.query<{ id: string; attempts: number; overdue_ms: number }[]>(
      `SELECT id, attempts, EXTRACT(EPOCH FROM now() - next_attempt_at) * 1000 AS overdue_ms FROM notifications
       WHERE status IN ('queued', 'sending') AND next_attempt_at <= now() - $1 * interval '1 millisecond'
       ORDER BY next_attempt_at LIMIT 1000`,
      [OVERDUE_MS],
    );
    for (const group of groupBySweepSuffix(rows, this.lostAfterMs)) {
      await addPointerJobs(
        this.queue,
        NOTIFY_JOB,
        group.rows.map((r) => ({
          jobId: `${r.id}:${r.attempts}${group.suffix ? `:${group.suffix}` : ''}`,
          data: { notificationId: r.id },
          dueAt: null,
        })),
        this.logger,
      );
    }
    return rows.length;
  }
}
