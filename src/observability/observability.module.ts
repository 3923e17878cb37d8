import { Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { HOOKHUB_VERSION } from '../common/version';
import { InjectConfig } from '../config/config.module';
import { AppConfig } from '../config/env';
import { DELIVERY_WORK } from '../deliveries/delivery.work';
import { NOTIFICATION_WORK } from '../notifications/notification.work';
import { INBOUND_WORK } from '../webhooks/inbound.work';
import { BacklogReader } from './backlog';
import { addScrapeSource, PoolReading, setBuildInfo } from './metrics';
import { MetricsServer } from './metrics-server';
import { startTracing, stopTracing } from './tracing';

/** The figures of TypeORM's pg pool; null before it is connected. */
function poolReading(dataSource: DataSource): PoolReading | null {
  const pool = (dataSource.driver as PostgresDriver).master as Pool | undefined;
  if (!pool) return null;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
}

/**
 * Ties the process-wide series and tracing to this application's life: its database pool and backlog
 * are read at scrape time from start until shutdown; tracing starts when configured and flushes at the end.
 */
@Injectable()
export class Observability implements OnModuleInit, OnApplicationShutdown {
  private removeSource: (() => void) | null = null;
  private tracing = false;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    setBuildInfo(HOOKHUB_VERSION, this.config.role);
    const backlog = new BacklogReader(
      this.dataSource,
      [DELIVERY_WORK, INBOUND_WORK, NOTIFICATION_WORK].map((kind) => kind.backlog),
    );
    this.removeSource = addScrapeSource({ pool: () => poolReading(this.dataSource), backlog: () => backlog.read() });
    if (this.config.tracing) {
      await startTracing(this.config.tracing, this.config.role);
      this.tracing = true;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.removeSource?.();
    this.removeSource = null;
    if (this.tracing) {
      this.tracing = false;
      await stopTracing();
    }
  }
}

/** Metrics and traces of every role (docs/observability.md); imported by HealthModule, which serves /metrics. */
@Module({ providers: [Observability, MetricsServer], exports: [MetricsServer] })
export class ObservabilityModule {}
