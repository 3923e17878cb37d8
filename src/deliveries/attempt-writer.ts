import { DataSource } from 'typeorm';
import type { DeliveriesRepository } from './deliveries.repository';
import type { StatsDelta } from '../subscriptions/subscription-stats';
import type { DeliveryAttempt } from './delivery-attempt.entity';
import type { Delivery } from './delivery.entity';
import type { DeliveryStats, Streak } from './delivery-stats';
import { allOk, WriteBatcher } from '../common/write-batcher';

export interface AttemptRecord {
  attempt: DeliveryAttempt;
  /** The delivery with its new status, attempt count, last attempt and next attempt. */
  delivery: Delivery;
  /** Stats to write in the same transaction (see DeliveryStats.writesThrough); null: added up later. */
  stats: { subscriptionId: string; delta: StatsDelta } | null;
}

const NO_STREAK: Streak = { consecutiveDead: 0, failingSince: null };

/** Attempts recorded at most in one transaction. */
const MAX_BATCH = 100;
/** Transactions of attempt records under way at once. */
const MAX_IN_FLIGHT = 2;

/**
 * Records finished attempts with group commit: the attempts that finish while the previous write is
 * under way go into one transaction — one multi-row INSERT into delivery_attempts, one UPDATE of
 * their deliveries, and the stats that must be written through — and each caller's promise settles
 * only once that transaction has committed (or with its error, for every attempt in it).
 */
export class AttemptWriter {
  private readonly batcher: WriteBatcher<AttemptRecord, Streak | null>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: DeliveriesRepository,
    private readonly stats: DeliveryStats,
  ) {
    // When a batch fails, each record is written alone, so that one record PostgreSQL refuses fails
    // only its own attempt (when the batch did commit after all, the records written again fail on
    // the unique attempt number and their deliveries are already past `sending`).
    this.batcher = new WriteBatcher((records) => this.write(records).then(allOk), {
      maxItems: MAX_BATCH,
      maxInFlight: MAX_IN_FLIGHT,
      retryAloneWhen: () => true,
    });
  }

  /** Records one attempt; answers the failure streak when its stats were written through. */
  record(record: AttemptRecord): Promise<Streak | null> {
    return this.batcher.submit(record);
  }

  /**
   * Records the attempt of a batch: one attempt row per member, the members' new state and the stats
   * (on the first record), in one transaction of its own, so a batch's members never part ways.
   * Answers the failure streak when the stats were written through.
   */
  async recordAll(records: AttemptRecord[]): Promise<Streak | null> {
    const streaks = await this.write(records);
    return streaks.find((streak) => streak !== null) ?? null;
  }

  /**
   * Ends deliveries whose attempt PostgreSQL refused to store (see isRefusedValue): the delivery rows
   * alone (a batch's members together), with their fields as the attempt left them, `dead`, and
   * `reason` as their error; only while they are still `sending` (a batch that did commit after all
   * has moved them on).
   */
  async endUnrecorded(deliveries: Delivery[], reason: string): Promise<void> {
    await this.repository.endUnrecorded(
      deliveries.map((d) => d.id),
      deliveries[0],
      reason,
    );
  }

  private async write(records: AttemptRecord[]): Promise<(Streak | null)[]> {
    const streaks: (Streak | null)[] = records.map(() => null);
    const through = records.filter((r) => r.stats !== null).map((r) => r.stats!);
    if (through.length === 0) {
      // one statement is its own transaction
      setCreatedAt(records, await this.repository.recordAttempts(records));
      return streaks;
    }
    const undos: (() => void)[] = [];
    try {
      return await this.dataSource.transaction(async (manager) => {
        setCreatedAt(records, await this.repository.recordAttempts(records, manager));
        const written = await this.stats.writeThrough(manager, through);
        undos.push(written.undo);
        records.forEach((r, i) => {
          if (r.stats) streaks[i] = written.streaks.get(r.stats.subscriptionId) ?? NO_STREAK;
        });
        return streaks;
      });
    } catch (error) {
      for (const undo of undos) undo();
      throw error;
    }
  }
}

function setCreatedAt(records: AttemptRecord[], rows: { created_at: Date }[]): void {
  for (const r of records) r.attempt.createdAt = rows[0]?.created_at;
}
