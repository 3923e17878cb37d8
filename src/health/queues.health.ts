import { getQueueToken } from '@nestjs/bull';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Queue } from 'bull';
import { QUEUE_NAMES } from '../admin/queue-catalogue';
import { withinCheckTimeout } from './check-timeout';

export type QueueHealth =
  | { status: 'up'; waiting: number; active: number; delayed: number; failed: number }
  | { status: 'down'; message: string };

/** The `queues` check of /health: each queue's job counts, down when they cannot be read in time. */
@Injectable()
export class QueuesHealthIndicator implements OnModuleInit {
  private queues: Queue[] = [];

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly indicators: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    this.queues = QUEUE_NAMES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }

  async check(key = 'queues'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    const entries = await Promise.all(
      this.queues.map(async (queue) => [queue.name, await queueHealth(queue)] as const),
    );
    const queues = Object.fromEntries(entries);
    return entries.every(([, health]) => health.status === 'up') ? session.up(queues) : session.down(queues);
  }
}

async function queueHealth(queue: Queue): Promise<QueueHealth> {
  try {
    const { waiting, active, delayed, failed } = await withinCheckTimeout(queue.getJobCounts());
    return { status: 'up', waiting, active, delayed, failed };
  } catch (error) {
    return { status: 'down', message: (error as Error).message };
  }
}
