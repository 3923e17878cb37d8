import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';

const DAY_MS = 86_400_000;
const RETENTION_LOCK = 7_301_442_002;
const BATCH = 5_000;

/** Deletes attempts, events (with their deliveries) and inbound events older than RETENTION_DAYS, once a day. */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.task = new PeriodicTask('retention', DAY_MS, () => this.run(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start(60_000);
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  /** One pass; only one process runs it at a time. Returns the rows deleted per table. */
  async run(): Promise<{ attempts: number; events: number }> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK])) as [
        { locked: boolean },
      ];
      if (!locked) return { attempts: 0, events: 0 };
      try {
        const days = this.config.retentionDays;
        const attempts = await this.deleteInBatches(runner.query.bind(runner), 'delivery_attempts', days);
        const events = await this.deleteInBatches(runner.query.bind(runner), 'events', days);
        await this.deleteInBatches(runner.query.bind(runner), 'inbound_events', days);
        if (attempts + events > 0) this.logger.log(`retention deleted ${attempts} attempts and ${events} events`);
        return { attempts, events };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }

  private async deleteInBatches(
    query: (sql: string, params: unknown[]) => Promise<unknown>,
    table: 'delivery_attempts' | 'events' | 'inbound_events',
    days: number,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count] = (await query(
        `DELETE FROM ${table} WHERE id IN (
           SELECT id FROM ${table} WHERE created_at < now() - $1 * interval '1 day' LIMIT $2)`,
        [days, BATCH],
      )) as [unknown, number];
      total += count;
      if (count < BATCH) return total;
    }
  }
}
