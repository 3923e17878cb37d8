import { MigrationInterface, QueryRunner } from 'typeorm';

/** Events whose source is filled in per statement of the backfill. */
const BACKFILL_BATCH = 5_000;

/**
 * The tenant-wide event log (GET /api/v1/events): events record the inbound source they came from,
 * and each filter of the log has an index that keeps its keyset order (created_at, id) newest
 * first, so that a page reads about `limit` index entries at any depth. Built CONCURRENTLY
 * (outside a transaction) so that a large events table keeps taking writes meanwhile; an index a
 * failed run left invalid is built again. EXPLAIN ANALYZE timings on 1,000,000 events are in
 * docs/benchmarks.md.
 *
 * `q` (text in the event data) uses the trigram index idx_events_data_trgm of
 * DeliveryLogIndexes1796300000000, which the delivery log's `q` shares; without it the search
 * still works, by reading the tenant's events.
 */
export class EventLog1796300100000 implements MigrationInterface {
  name = 'EventLog1796300100000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "events" ADD COLUMN IF NOT EXISTS "source_id" text`);
    await this.backfillSources(queryRunner);
    // (tenant_id, created_at, id) supersedes (tenant_id, created_at): the keyset order needs id as the tie-break
    await this.createIndex(queryRunner, 'idx_events_log', `"events" ("tenant_id", "created_at", "id")`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_16799264a4ae6a8691775b6595"`);
    // text_pattern_ops serves both `event_type = 'deal.won'` and `event_type LIKE 'deal.%'` whatever the collation
    await this.createIndex(
      queryRunner,
      'idx_events_log_type',
      `"events" ("tenant_id", "event_type" text_pattern_ops, "created_at", "id")`,
    );
    await this.createIndex(
      queryRunner,
      'idx_events_log_entity',
      `"events" ("tenant_id", "entity_key", "created_at", "id") WHERE "entity_key" IS NOT NULL`,
    );
    await this.createIndex(
      queryRunner,
      'idx_events_log_source',
      `"events" ("tenant_id", "source_id", "created_at", "id") WHERE "source_id" IS NOT NULL`,
    );
  }

  /** Not concurrent: TypeORM reverts inside a transaction whatever `transaction` says. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['idx_events_log_source', 'idx_events_log_entity', 'idx_events_log_type']) {
      await queryRunner.query(`DROP INDEX IF EXISTS "${name}"`);
    }
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_16799264a4ae6a8691775b6595" ON "events" ("tenant_id", "created_at")`,
    );
    await queryRunner.query(`DROP INDEX IF EXISTS "idx_events_log"`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN IF EXISTS "source_id"`);
  }

  /**
   * The inbound processor has always recorded the source in the metadata of the events it
   * publishes: copied into the column in batches along the primary key, each its own commit.
   */
  private async backfillSources(queryRunner: QueryRunner): Promise<void> {
    let after = '';
    for (;;) {
      const [batch] = (await queryRunner.query(
        `WITH batch AS (SELECT "id" FROM "events" WHERE "id" > $1 ORDER BY "id" LIMIT ${BACKFILL_BATCH}),
         filled AS (
           UPDATE "events" e SET "source_id" = e."metadata" ->> 'source_id' FROM batch
           WHERE e."id" = batch."id" AND e."source" = 'inbound' AND e."source_id" IS NULL
             AND jsonb_typeof(e."metadata" -> 'source_id') = 'string')
         SELECT max("id") AS last FROM batch`,
        [after],
      )) as { last: string | null }[];
      if (!batch?.last) return;
      after = batch.last;
    }
  }

  private async createIndex(queryRunner: QueryRunner, name: string, definition: string): Promise<void> {
    const [existing] = (await queryRunner.query(
      `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace`,
      [name],
    )) as { valid: boolean }[];
    if (existing?.valid) return;
    if (existing) await queryRunner.query(`DROP INDEX CONCURRENTLY "${name}"`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY "${name}" ON ${definition}`);
  }
}
