import type { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { createHash } from 'node:crypto';
import type { WorkItem, WorkJob, WorkKind } from './work-kind';

/** Job id of one row's run: the same for the publisher, the retry scheduler and the sweeper. */
export function itemJobId(item: Pick<WorkItem, 'id' | 'run'>): string {
  return `${item.id}:${item.run}`;
}

/**
 * Job id of a group of runs. One run keeps its own id, so it meets any job of the same run (one
 * queued before a deploy included) and Redis holds it once. Several runs get an id made of what
 * they are (the first run's id and a hash of them all): the same rows found overdue by two sweeps
 * make the same job, and a new group a new one. A row in two groups is harmless: the claim lets one
 * run happen, and the other job finds nothing due.
 */
export function groupJobId(items: readonly Pick<WorkItem, 'id' | 'run'>[], suffix?: string): string {
  const [first] = items;
  const base =
    items.length === 1
      ? itemJobId(first)
      : `${itemJobId(first)}+${createHash('sha1').update(items.map(itemJobId).join(',')).digest('hex').slice(0, 16)}`;
  return suffix ? `${base}:${suffix}` : base;
}

/** How long a run waits from `now` before it is due: 0 when it is due now or was due before. */
export function delayOf(item: Pick<WorkItem, 'dueAt'>, now: number): number {
  return Math.max(0, (item.dueAt?.getTime() ?? now) - now);
}

/**
 * Splits runs into jobs: runs due at the same moment (every run due now, whatever its row says)
 * go together, at most `idsPerJob` per job, so that a job never holds more rows than a worker runs
 * at once, and a second worker finds jobs of its own.
 */
export function groupIntoJobs(items: readonly WorkItem[], idsPerJob: number, now: number): WorkItem[][] {
  const byDelay = new Map<number, WorkItem[]>();
  for (const item of items) {
    const delay = delayOf(item, now);
    const group = byDelay.get(delay);
    if (group) group.push(item);
    else byDelay.set(delay, [item]);
  }
  const jobs: WorkItem[][] = [];
  const size = Math.max(1, Math.floor(idsPerJob));
  for (const group of byDelay.values()) {
    for (let i = 0; i < group.length; i += size) jobs.push(group.slice(i, i + size));
  }
  return jobs;
}

/**
 * The queue side of a kind: adds jobs that point at rows (ids only), several rows per job, so Bull's
 * cost per job is paid once per group. Called after the rows are committed: when Redis fails, the
 * rows stay due in PostgreSQL and the sweeper queues them later, so a failure is only logged.
 */
export class WorkQueue {
  constructor(
    readonly kind: WorkKind,
    private readonly queue: Queue<WorkJob>,
    private readonly idsPerJob: number,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /**
   * Queues the runs `items`; a `suffix` makes other jobs than the runs' own (a postponed run whose
   * first job is still running, a sweep of rows whose jobs Redis may have half lost).
   */
  async enqueue(items: readonly WorkItem[], suffix?: string): Promise<void> {
    if (items.length === 0) return;
    const now = Date.now();
    const jobs = groupIntoJobs(items, this.idsPerJob, now);
    try {
      await this.queue.addBulk(
        jobs.map((group) => ({
          name: this.kind.job,
          data: { ids: group.map((item) => item.id) },
          opts: {
            jobId: groupJobId(group, suffix),
            delay: delayOf(group[0], now),
            removeOnComplete: true,
            removeOnFail: true,
          },
        })),
      );
    } catch (error) {
      this.logger.warn(
        `could not queue ${items.length} ${this.kind.job} runs, the sweeper will: ${(error as Error).message}`,
      );
    }
  }
}
