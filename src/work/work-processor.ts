import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { Slots } from './slots';
import { idsOfJob, WorkJob, WorkKind } from './work-kind';

/** What runs one row of a kind: claims it, does the work, records it (Dispatcher, InboundProcessor, Notifier). */
export interface WorkRunner {
  run(id: string): Promise<unknown>;
}

/**
 * Processes a kind's queue in a worker (APP_ROLE worker or all): each job's rows run side by side,
 * `concurrency` rows at once in the process whatever the jobs they came in. The claim of each row
 * decides whether it runs, so a duplicate job, or a row already done, costs one claim and nothing
 * else. A row whose run throws fails its job once its other rows have settled (their runner gave
 * the row back, or its lease takes it back); the job is not retried by Bull, the sweeper queues
 * the row again.
 */
export class WorkProcessor implements OnApplicationBootstrap {
  private readonly logger: Logger;
  private readonly slots: Slots;

  constructor(
    private readonly kind: WorkKind,
    private readonly queue: Queue<WorkJob>,
    private readonly runner: WorkRunner,
    private readonly concurrency: number,
  ) {
    this.logger = new Logger(`WorkProcessor(${kind.name})`);
    this.slots = new Slots(concurrency);
  }

  onApplicationBootstrap(): void {
    // Bull's process() settles only when the queue closes, so a rejection then (the connection
    // closed on shutdown) is expected and only logged
    this.queue
      .process(this.kind.job, this.concurrency, (job) => this.handle(job))
      .catch((error: Error) => this.logger.debug(`${this.kind.job} processing stopped: ${error.message}`));
    this.logger.log(`processing ${this.kind.job} jobs of ${this.queue.name} with concurrency ${this.concurrency}`);
  }

  /** Runs every row of one job; the job's result stays out of Redis (PostgreSQL holds the outcome). */
  async handle(job: Pick<Job<WorkJob>, 'data'>): Promise<void> {
    const ids = idsOfJob(job.data, this.kind.legacyIdField);
    const settled = await Promise.allSettled(ids.map((id) => this.slots.run(() => this.runner.run(id))));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
