import type { DataSource } from 'typeorm';
import { withinCheckTimeout } from '../health/check-timeout';
import type { RetriedWork } from '../work/retry-policy';
import type { WorkBacklog } from '../work/work-kind';

export type BacklogKind = RetriedWork;

/**
 * How one kind of work waits in its table: the `backlog` of its definition, declared by the feature
 * that owns the table (delivery.work.ts, inbound.work.ts, notification.work.ts).
 */
export type BacklogTable = WorkBacklog;

export interface BacklogReading {
  kind: BacklogKind;
  /** Rows waiting for a run now (due, not held by a worker), up to BACKLOG_COUNT_LIMIT. */
  due: number;
  /** Rows waiting for a later run (a retry, a postponed attempt), up to BACKLOG_COUNT_LIMIT. */
  scheduled: number;
  /** Seconds since the longest-waiting due row became due; 0 when none is due. */
  oldestDueSeconds: number;
}

/** Counts stop here, so that a scrape reads at most this many index entries per count, whatever the backlog. */
export const BACKLOG_COUNT_LIMIT = 100_000;
/** A scrape within this long of the last reading gets that reading: scrapes cost PostgreSQL at most one statement per 5 s. */
export const BACKLOG_CACHE_MS = 5_000;

const WORD = /^[a-z_]+$/;

function word(text: string): string {
  if (!WORD.test(text)) throw new Error(`not a plain SQL name: ${text}`);
  return text;
}

/**
 * One SELECT row per table: its due and scheduled counts (each stopped at `$1` rows) and the age of its
 * oldest due row. Each part is a range of the table's due index in order, so the cost follows the
 * limit, not the size of the table. Names and statuses come from code, never from a request.
 */
export function backlogSql(tables: readonly BacklogTable[]): string {
  return tables
    .map(({ kind, table, dueColumn, waiting }) => {
      const from = `FROM ${word(table)} WHERE status IN (${waiting.map((s) => `'${word(s)}'`).join(', ')})`;
      const due = word(dueColumn);
      return (
        `SELECT '${word(kind)}' AS kind, ` +
        `(SELECT count(*) FROM (SELECT 1 ${from} AND ${due} <= now() LIMIT $1) d)::int AS due, ` +
        `(SELECT count(*) FROM (SELECT 1 ${from} AND ${due} > now() LIMIT $1) s)::int AS scheduled, ` +
        `COALESCE((SELECT EXTRACT(EPOCH FROM now() - ${due}) ${from} AND ${due} <= now() ORDER BY ${due} LIMIT 1), 0)` +
        `::float8 AS oldest_due_s`
      );
    })
    .join(' UNION ALL ');
}

/**
 * The backlog of every kind, read with one statement at most every BACKLOG_CACHE_MS and within the
 * health checks' timeout; when PostgreSQL does not answer, the reading is empty (the series are left
 * out of that scrape rather than showing old figures).
 */
export class BacklogReader {
  private readonly sql: string;
  private last: { at: number; reading: Promise<BacklogReading[]> } | null = null;

  constructor(
    private readonly dataSource: DataSource,
    tables: readonly BacklogTable[],
  ) {
    this.sql = backlogSql(tables);
  }

  read(): Promise<BacklogReading[]> {
    const now = Date.now();
    if (this.last && now - this.last.at < BACKLOG_CACHE_MS) return this.last.reading;
    const reading = this.query().catch((): BacklogReading[] => []);
    this.last = { at: now, reading };
    return reading;
  }

  private async query(): Promise<BacklogReading[]> {
    const rows = await withinCheckTimeout(
      this.dataSource.query<{ kind: BacklogKind; due: number; scheduled: number; oldest_due_s: number }[]>(this.sql, [
        BACKLOG_COUNT_LIMIT,
      ]),
    );
    return rows.map((r) => ({
      kind: r.kind,
      due: Number(r.due),
      scheduled: Number(r.scheduled),
      oldestDueSeconds: Math.max(0, Number(r.oldest_due_s)),
    }));
  }
}
