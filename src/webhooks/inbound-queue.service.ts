import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { addPointerJobs } from '../common/queue-jobs';
import { INBOUND_QUEUE, PROCESS_JOB, ProcessJob, processJobId } from './inbound.queue';

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
