import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '../common/periodic-task';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { EventsRepository } from '../events/events.repository';
import { WebhooksRepository } from '../webhooks/webhooks.repository';
import { DeliveriesRepository } from './deliveries.repository';

const DAY_MS = 86_400_000;
const RETENTION_LOCK = 7_301_442_002;

/** Deletes attempts, events (with their deliveries) and inbound events older than RETENTION_DAYS, once a day. */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionService.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly deliveries: DeliveriesRepository,
    private readonly events: EventsRepository,
    private readonly webhooks: WebhooksRepository,
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
        // attempts first, then events (their deliveries go with them), then inbound events; each
        // feature deletes its own rows, on this connection (the one holding the lock)
        const days = this.config.retentionDays;
        const attempts = await this.deliveries.deleteAttemptsOlderThan(days, runner.manager);
        const events = await this.events.deleteOlderThan(days, runner.manager);
        await this.webhooks.deleteInboundOlderThan(days, runner.manager);
        if (attempts + events > 0) this.logger.log(`retention deleted ${attempts} attempts and ${events} events`);
        return { attempts, events };
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
      }
    } finally {
      await runner.release();
    }
  }
}
