/**
 * Group commit for ingest: the inserts that arrive within a millisecond or two go to PostgreSQL as
 * one multi-row statement (one round trip, one commit, one WAL flush) and to Redis as one addBulk.
 * This file holds the pure parts (deduplicating within a batch, building the SQL, matching results
 * back to requests); the collecting is common/write-batcher.ts, and IngestService runs the statements.
 */

import type { Settled } from '../common/write-batcher';

/** What one ingest request stores: a row of inbound_events (status pending, run 0, due now). */
export interface InboundRow {
  id: string;
  tenantId: string;
  sourceId: string;
  provider: string;
  kind: string | null;
  dedupKey: string;
  maxRetries: number;
  headers: Record<string, string>;
  payload: unknown;
  contentType: string;
  traceId: string;
}

export interface StoredOutcome {
  inboundEventId: string;
  duplicate: boolean;
}

const SURROGATE = /[\ud800-\udfff]/;

/**
 * The (source, dedup key) pair as PostgreSQL stores it: the driver sends text as UTF-8, which turns
 * a lone surrogate into U+FFFD, so keys are compared after the same conversion (IngestService makes
 * keys storable first with storableText, the same replacement, so for its keys this changes nothing, and
 * keys stored before stay equal). Source ids are `src_` + 26 base-32 characters (no space), so the
 * joined key is unambiguous.
 */
export function dedupIdentity(sourceId: string, dedupKey: string): string {
  const stored = SURROGATE.test(dedupKey) ? Buffer.from(dedupKey, 'utf8').toString('utf8') : dedupKey;
  return `${sourceId} ${stored}`;
}

/**
 * The rows of a batch to insert: the first of each (source, dedup key) in arrival order. `leaderOf[i]`
 * is the index of the row that stands for row i (itself when it is a leader).
 */
export function planBatch(rows: Pick<InboundRow, 'sourceId' | 'dedupKey'>[]): {
  leaders: number[];
  leaderOf: number[];
} {
  const first = new Map<string, number>();
  const leaders: number[] = [];
  const leaderOf = rows.map((row, i) => {
    const identity = dedupIdentity(row.sourceId, row.dedupKey);
    const seen = first.get(identity);
    if (seen !== undefined) return seen;
    first.set(identity, i);
    leaders.push(i);
    return i;
  });
  return { leaders, leaderOf };
}

const COLUMNS = [
  'id',
  'tenant_id',
  'source_id',
  'provider',
  'kind',
  'dedup_key',
  'max_retries',
  'headers',
  'payload',
  'content_type',
  'trace_id',
];

/**
 * One `INSERT … ON CONFLICT (source_id, dedup_key) DO NOTHING RETURNING` for `rows` (which must not
 * repeat a dedup key: see planBatch), with the same values the entity-based insert wrote.
 */
export function buildInsert(rows: InboundRow[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const base = params.length;
    params.push(
      row.id,
      row.tenantId,
      row.sourceId,
      row.provider,
      row.kind,
      row.dedupKey,
      row.maxRetries,
      JSON.stringify(row.headers),
      JSON.stringify(row.payload),
      row.contentType,
      row.traceId,
    );
    const p = (n: number): string => `$${base + n}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, 'pending', 0, ${p(7)}, ${p(8)}::jsonb, ${p(9)}::json, ${p(10)}, ${p(11)}, now())`;
  });
  const sql =
    `INSERT INTO inbound_events (${COLUMNS.slice(0, 6).join(', ')}, status, retry_count, ${COLUMNS.slice(6).join(', ')}, next_retry_at) ` +
    `VALUES ${tuples.join(', ')} ON CONFLICT (source_id, dedup_key) DO NOTHING RETURNING id`;
  return { sql, params };
}

/** `SELECT` of the ids already stored under the (source, dedup key) pairs of `rows`. */
export function buildExistingLookup(rows: Pick<InboundRow, 'sourceId' | 'dedupKey'>[]): {
  sql: string;
  params: unknown[];
} {
  const params: unknown[] = [];
  const pairs = rows.map((row) => {
    params.push(row.sourceId, row.dedupKey);
    return `($${params.length - 1}, $${params.length})`;
  });
  return {
    sql: `SELECT id, source_id, dedup_key FROM inbound_events WHERE (source_id, dedup_key) IN (${pairs.join(', ')})`,
    params,
  };
}

/**
 * Matches a batch's results back to its rows. `inserted` holds the ids the INSERT returned;
 * `existing` the ids found for the others by identity (or the error of that lookup). A row that was stored
 * answers its own id; a row that met an earlier event (stored before, or earlier in the batch)
 * answers that event's id as a duplicate.
 */
export function resolveOutcomes(
  rows: Pick<InboundRow, 'id' | 'sourceId' | 'dedupKey'>[],
  plan: { leaderOf: number[] },
  inserted: Set<string>,
  existing: Map<string, string> | { error: unknown },
): Settled<StoredOutcome>[] {
  const leaderOutcome = (i: number): Settled<StoredOutcome> => {
    const row = rows[i];
    if (inserted.has(row.id)) return { ok: true, value: { inboundEventId: row.id, duplicate: false } };
    const identity = dedupIdentity(row.sourceId, row.dedupKey);
    if (!(existing instanceof Map)) return { ok: false, error: existing.error };
    const id = existing.get(identity);
    if (id === undefined) {
      return { ok: false, error: new Error(`inbound event ${identity} neither stored nor found`) };
    }
    return { ok: true, value: { inboundEventId: id, duplicate: true } };
  };
  const leaders = new Map<number, Settled<StoredOutcome>>();
  return rows.map((_, i) => {
    const leader = plan.leaderOf[i];
    let outcome = leaders.get(leader);
    if (!outcome) {
      outcome = leaderOutcome(leader);
      leaders.set(leader, outcome);
    }
    if (leader === i || !outcome.ok) return outcome;
    return { ok: true, value: { inboundEventId: outcome.value.inboundEventId, duplicate: true } };
  });
}
