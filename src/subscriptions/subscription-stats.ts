/**
 * The running stats of a subscription as a composable change ("delta"), so that the outcomes of
 * many attempts can be added up in memory and written with one UPDATE, in the order they happened.
 *
 * The failure streak is order-dependent (a success resets it), so a delta remembers whether it
 * contains a success (`reset`) and, after its last success, how many deliveries went dead and when
 * the first failure was. Applying `combine(a, b)` to a row gives exactly what applying `a` and then
 * `b` gives, which is what applying each attempt's outcome in turn gave before.
 */
export interface StatsDelta {
  attempts: number;
  failures: number;
  successes: number;
  /** A success happened: the streak restarts from the values below. */
  reset: boolean;
  /** Dead deliveries after the last success of this delta (all of them when none). */
  dead: number;
  /** The first failure after the last success of this delta (the first of all when none). */
  failingSince: Date | null;
  /** The latest attempt. */
  lastAt: Date;
  lastStatus: string;
  lastHttpStatus: number | null;
}

export interface AttemptStatsOutcome {
  ok: boolean;
  dead: boolean;
  status: string;
  httpStatus: number | null;
}

/** The change one finished attempt makes. */
export function outcomeDelta(outcome: AttemptStatsOutcome, at: Date = new Date()): StatsDelta {
  return {
    attempts: 1,
    failures: outcome.ok ? 0 : 1,
    successes: outcome.ok ? 1 : 0,
    reset: outcome.ok,
    dead: !outcome.ok && outcome.dead ? 1 : 0,
    failingSince: outcome.ok ? null : at,
    lastAt: at,
    lastStatus: outcome.status,
    lastHttpStatus: outcome.httpStatus,
  };
}

/** `earlier` then `later`, as one delta. */
export function combineDeltas(earlier: StatsDelta, later: StatsDelta): StatsDelta {
  const last = later.lastAt >= earlier.lastAt ? later : earlier;
  return {
    attempts: earlier.attempts + later.attempts,
    failures: earlier.failures + later.failures,
    successes: earlier.successes + later.successes,
    reset: earlier.reset || later.reset,
    dead: later.reset ? later.dead : earlier.dead + later.dead,
    failingSince: later.reset ? later.failingSince : (earlier.failingSince ?? later.failingSince),
    lastAt: last.lastAt,
    lastStatus: last.lastStatus,
    lastHttpStatus: last.lastHttpStatus,
  };
}

/** The row's stats columns that a delta changes. */
export interface StatsRow {
  deliveriesCount: number;
  failuresCount: number;
  successesCount: number;
  consecutiveDead: number;
  failingSince: Date | null;
  lastDeliveryAt: Date | null;
  lastDeliveryStatus: string | null;
  lastHttpStatus: number | null;
}

/** What the UPDATE of SubscriptionsService.applyStats does to a row, in TypeScript (for the specs). */
export function applyDelta(row: StatsRow, d: StatsDelta): StatsRow {
  const newer = row.lastDeliveryAt === null || row.lastDeliveryAt <= d.lastAt;
  return {
    deliveriesCount: row.deliveriesCount + d.attempts,
    failuresCount: row.failuresCount + d.failures,
    successesCount: row.successesCount + d.successes,
    consecutiveDead: d.reset ? d.dead : row.consecutiveDead + d.dead,
    failingSince: d.reset ? d.failingSince : (row.failingSince ?? d.failingSince),
    lastDeliveryAt: newer ? d.lastAt : row.lastDeliveryAt,
    lastDeliveryStatus: newer ? d.lastStatus : row.lastDeliveryStatus,
    lastHttpStatus: newer ? d.lastHttpStatus : row.lastHttpStatus,
  };
}

/** Deltas per subscription waiting to be written. */
export class StatsAccumulator {
  private pending = new Map<string, StatsDelta>();

  get size(): number {
    return this.pending.size;
  }

  /** Adds a later change of `id`. */
  add(id: string, delta: StatsDelta): void {
    const before = this.pending.get(id);
    this.pending.set(id, before ? combineDeltas(before, delta) : delta);
  }

  /** Gives back changes that could not be written; they happened before anything added since. */
  putBack(id: string, delta: StatsDelta): void {
    const after = this.pending.get(id);
    this.pending.set(id, after ? combineDeltas(delta, after) : delta);
  }

  /** Removes and returns the pending change of `id`. */
  take(id: string): StatsDelta | undefined {
    const delta = this.pending.get(id);
    this.pending.delete(id);
    return delta;
  }

  /** Removes and returns every pending change. */
  takeAll(): Map<string, StatsDelta> {
    const all = this.pending;
    this.pending = new Map();
    return all;
  }

  /** A pending change of `id` includes a failure after its last success. */
  hasFailure(id: string): boolean {
    const delta = this.pending.get(id);
    return delta !== undefined && (delta.failingSince !== null || delta.dead > 0);
  }
}
