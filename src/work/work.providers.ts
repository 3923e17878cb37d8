import { getQueueToken } from '@nestjs/bull';
import { Inject, Logger, Provider, Type } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/env';
import type { WorkJob, WorkKind } from './work-kind';
import { WorkProcessor, WorkRunner } from './work-processor';
import { WorkQueue } from './work-queue';
import { WorkSweeper } from './work-sweeper';

/** The most rows one job carries (a job never holds more rows than its worker runs at once, up to this). */
export const MAX_IDS_PER_JOB = 100;

/** The injection token of a kind's WorkQueue (for a module's `exports`). */
export const queueToken = (kind: WorkKind): string => `WorkQueue:${kind.name}`;

/** Injects the WorkQueue of a kind: `constructor(@InjectWorkQueue(DELIVERY_WORK) queue: WorkQueue)`. */
export const InjectWorkQueue = (kind: WorkKind): ParameterDecorator => Inject(queueToken(kind));

/**
 * How many rows one job of `kind` carries: as many as a worker runs at once, at most MAX_IDS_PER_JOB.
 * The process that queues decides, by its own setting (the API and the workers share one
 * configuration); a worker set lower still runs no more rows at once (see WorkProcessor).
 */
export function idsPerJob(kind: WorkKind, config: AppConfig): number {
  return Math.max(1, Math.min(MAX_IDS_PER_JOB, kind.concurrency(config)));
}

/** The queue side of a kind, for every role (the API queues work too); its module registers the Bull queue. */
export function workQueueProvider(kind: WorkKind): Provider {
  return {
    provide: queueToken(kind),
    useFactory: (queue: Queue<WorkJob>, config: AppConfig) =>
      new WorkQueue(kind, queue, idsPerJob(kind, config), new Logger(`WorkQueue(${kind.name})`)),
    inject: [getQueueToken(kind.queue), APP_CONFIG],
  };
}

/**
 * The worker side of a kind (APP_ROLE worker or all): the processor, which runs each row with
 * `runner`, and the sweeper. The module that registers them provides the runner and the queue.
 */
export function workerProviders(kind: WorkKind, runner: Type<WorkRunner>): Provider[] {
  return [
    {
      provide: `WorkProcessor:${kind.name}`,
      useFactory: (queue: Queue<WorkJob>, run: WorkRunner, config: AppConfig) =>
        new WorkProcessor(kind, queue, run, kind.concurrency(config)),
      inject: [getQueueToken(kind.queue), runner, APP_CONFIG],
    },
    {
      provide: `WorkSweeper:${kind.name}`,
      useFactory: (db: DataSource, queue: WorkQueue, config: AppConfig) =>
        new WorkSweeper(kind, db, queue, config.sweepIntervalMs),
      inject: [DataSource, queueToken(kind), APP_CONFIG],
    },
  ];
}
