import type { EntityManager } from 'typeorm';

/** Rows deleted per statement, so no statement holds its locks for long. */
export const DELETE_BATCH = 5_000;

/**
 * Runs a DELETE of at most DELETE_BATCH rows again until it deletes fewer, and answers how many rows
 * went. `sql` takes the batch size as its last parameter (after `params`); each feature's repository
 * writes it out for its own table.
 */
export async function deleteInBatches(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const [, count] = await manager.query<[unknown, number]>(sql, [...params, DELETE_BATCH]);
    total += count;
    if (count < DELETE_BATCH) return total;
  }
}
