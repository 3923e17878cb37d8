import type { Logger } from '@nestjs/common';
import type { Queue } from 'bull';

export interface PointerJob<T> {
  /** Deterministic, so the same work is never held twice by Redis. */
  jobId: string;
  data: T;
  /** When the job should run; now when null or past. */
  dueAt: Date | null;
}

/**
 * Adds jobs that point at rows (ids only). Called after the rows are committed: when Redis fails,
 * the rows stay due in PostgreSQL and a sweeper queues them later, so a failure is only logged.
 */
export async function addPointerJobs<T>(
  queue: Queue<T>,
  name: string,
  jobs: PointerJob<T>[],
  logger: Logger,
): Promise<void> {
  if (jobs.length === 0) return;
  const now = Date.now();
  try {
    await queue.addBulk(
      jobs.map((job) => ({
        name,
        data: job.data,
        opts: {
          jobId: job.jobId,
          delay: Math.max(0, (job.dueAt?.getTime() ?? now) - now),
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  } catch (error) {
    logger.warn(`could not queue ${jobs.length} ${name} jobs, the sweeper will: ${(error as Error).message}`);
  }
}

/**
 * Starts processing `name` jobs of `queue`, `concurrency` at once. Bull's process() settles only when
 * the queue closes, so a rejection then (the connection closed on shutdown) is expected and only logged.
 */
export function processJobs<T>(
  queue: Queue<T>,
  name: string,
  concurrency: number,
  handle: (data: T) => Promise<unknown>,
  logger: Logger,
): void {
  queue
    .process(name, concurrency, (job) => handle(job.data))
    .catch((error: Error) => logger.debug(`${name} processing stopped: ${error.message}`));
  logger.log(`processing ${name} jobs of ${queue.name} with concurrency ${concurrency}`);
}

/**
 * The job-id suffix a sweeper gives a row that is `overdueMs` past its time. None while its job
 * may just be waiting behind a backlog (the deterministic id makes the re-add a no-op). Past
 * `lostAfterMs`, one new id per `lostAfterMs` window: Redis may still hold the job's hash without
 * its entry in any list (keys deleted one by one, a partial loss), and Bull never adds a job whose
 * id exists, so the deterministic id alone could leave the row waiting forever. A second job for a
 * row whose first one still waits is harmless: the claim lets one attempt run.
 */
export function sweepJobSuffix(overdueMs: number, lostAfterMs: number, now = Date.now()): string | undefined {
  return overdueMs > lostAfterMs ? `sweep${Math.floor(now / lostAfterMs)}` : undefined;
}

/** Splits swept rows by the suffix their jobs get, so each group is queued with one call. */
export function groupBySweepSuffix<T extends { overdue_ms: number | string }>(
  rows: T[],
  lostAfterMs: number,
  now = Date.now(),
): { suffix: string | undefined; rows: T[] }[] {
  const groups = new Map<string | undefined, T[]>();
  for (const row of rows) {
    const suffix = sweepJobSuffix(Number(row.overdue_ms), lostAfterMs, now);
    const group = groups.get(suffix);
    if (group) group.push(row);
    else groups.set(suffix, [row]);
  }
  return [...groups].map(([suffix, grouped]) => ({ suffix, rows: grouped }));
}
