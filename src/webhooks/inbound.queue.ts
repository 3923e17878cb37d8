import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { addPointerJobs } from '../common/queue-jobs';

/** The Bull queue of inbound-event processing runs; a job carries only the inbound event id. */
export const INBOUND_QUEUE = 'inbound';
export const PROCESS_JOB = 'process';

export interface ProcessJob {
  inboundEventId: string;
}

/** Deterministic job id of run `run` (0 = first, n = n-th retry): publisher, retries and sweeper agree. */
export function processJobId(inboundEventId: string, run: number): string {
  return `${inboundEventId}:${run}`;
}

/** Queues processing runs of inbound events (ids only; PostgreSQL is the record). */
@Injectable()
export class InboundQueue {
  private readonly logger = new Logger(InboundQueue.name);

  constructor(@InjectQueue(INBOUND_QUEUE) private readonly queue: Queue<ProcessJob>) {}

  async enqueue(
    events: { id: string; retryCount: number; nextRetryAt: Date | null }[],
    jobIdSuffix?: string,
  ): Promise<void> {
    await addPointerJobs(
      this.queue,
      PROCESS_JOB,
      events.map((e) => ({
        jobId: processJobId(e.id, e.retryCount) + (jobIdSuffix ? `:${jobIdSuffix}` : ''),
        data: { inboundEventId: e.id },
        dueAt: e.nextRetryAt,
      })),
      this.logger,
    );
  }
}
