import { Injectable } from '@nestjs/common';
import { InjectWorkQueue } from '../work/work.providers';
import type { WorkQueue } from '../work/work-queue';
import { INBOUND_WORK } from './inbound.work';

/** Queues processing runs of inbound events, several per job (ids only; PostgreSQL is the record). */
@Injectable()
export class InboundQueue {
  constructor(@InjectWorkQueue(INBOUND_WORK) private readonly queue: WorkQueue) {}

  /** Run `retryCount` (0 = first) of each event, after the rows are committed (a Redis failure is left to the sweeper). */
  async enqueue(
    events: { id: string; retryCount: number; nextRetryAt: Date | null }[],
    jobIdSuffix?: string,
  ): Promise<void> {
    await this.queue.enqueue(
      events.map((e) => ({ id: e.id, run: e.retryCount, dueAt: e.nextRetryAt })),
      jobIdSuffix,
    );
  }
}
