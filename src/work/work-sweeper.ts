import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import type { Queryable, SweptRow, WorkKind } from './work-kind';
import type { WorkQueue } from './work-queue';

/** Rows this much overdue are assumed to have lost their job. */
export const SWEEP_OVERDUE_MS = 2_000;
/** The most rows one sweep queues again. */
export const SWEEP_BATCH = 1_000;

/**
 * The job-id suffix a sweeper gives a row that is `overdueMs` past its time. None while its job
 * may just be waiting behind a backlog (the deterministic id makes the re-add a no-op). Past
 * `lostAfterMs`, one new id per `lostAfterMs` window: Redis may still hold the job's hash without
 * its entry in any list (keys deleted one by one, a partial loss), and Bull never adds a job whose
 * id exists, so the deterministic id alone could leave the row waiting forever. A second job for a
 * row whose first one still waits is harmless: the claim lets one run happen.
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

/**
 * PostgreSQL is the record: every SWEEP_INTERVAL a worker queues again the rows of a kind whose
 * time has come but that no job served (Redis lost its data, a worker crashed mid-run and its lease
 * ran out, or queueing failed after a commit), found by the kind's own statement. Job ids are
 * deterministic, so rows whose job still waits are not queued twice while their set is the same,
 * and the claim makes any duplicate harmless.
 */
export class WorkSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly task: PeriodicTask;
  private readonly lostAfterMs: number;

  constructor(
    private readonly kind: WorkKind,
    private readonly db: Queryable,
    private readonly queue: WorkQueue,
    sweepIntervalMs: number,
  ) {
    this.logger = new Logger(`WorkSweeper(${kind.name})`);
    this.lostAfterMs = 3 * sweepIntervalMs;
    this.task = new PeriodicTask(`${kind.name} sweep`, sweepIntervalMs, () => this.sweep(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): void {
    this.task.stop();
  }

  /** Queues overdue rows again; returns how many. */
  async sweep(): Promise<number> {
    const rows: SweptRow[] = await this.kind.sweep(this.db, SWEEP_OVERDUE_MS, SWEEP_BATCH);
    for (const group of groupBySweepSuffix(rows, this.lostAfterMs)) {
      await this.queue.enqueue(
        group.rows.map((r) => ({ id: r.id, run: Number(r.run), dueAt: null })),
        group.suffix,
      );
    }
    if (rows.length > 0) this.logger.debug(`swept ${rows.length} overdue ${this.kind.name}`);
    return rows.length;
  }
}
