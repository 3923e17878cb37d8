import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the tenant-wide delivery log (GET /api/v1/deliveries) and of delivery control:
 * keyset pages newest first, alone or filtered by webhook, status, event type or the HTTP status
 * of a failed attempt, and the look-up of retried deliveries. Built CONCURRENTLY (outside a
 * transaction) so that a large deliveries table keeps taking writes meanwhile; an index a failed
 * run left invalid is built again.
 *
 * `q` (text in the event data) gets a trigram index when the pg_trgm extension is there or may be
 * created by this database user (it is a trusted extension since PostgreSQL 13); without it the
 * search still works, by reading events.
 */
export class DeliveryLogIndexes1796300000000 implements MigrationInterface {
  name = 'DeliveryLogIndexes1796300000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.createIndex(queryRunner, 'idx_deliveries_tenant_log', 'deliveries (tenant_id, created_at, id)');
    await this.createIndex(
      queryRunner,
      'idx_deliveries_subscription_log',
      'deliveries (subscription_id, created_at, id)',
    );
    await this.createIndex(
      queryRunner,
      'idx_deliveries_tenant_status_log',
      'deliveries (tenant_id, status, created_at, id)',
    );
    // byte order, so that a prefix pattern (deal.*) is one range of the index whatever the database's collation
    await this.createIndex(
      queryRunner,
      'idx_deliveries_tenant_type_log',
      'deliveries (tenant_id, (event_type COLLATE "C"), created_at, id)',
    );
    // failures only (an HTTP status other than 200): small, and the rare statuses are the ones looked for
    await this.createIndex(
      queryRunner,
      'idx_deliveries_tenant_http_log',
      'deliveries (tenant_id, last_http_status, created_at, id) WHERE last_http_status <> 200',
    );
    await this.createIndex(
      queryRunner,
      'idx_deliveries_original',
      'deliveries (original_delivery_id) WHERE original_delivery_id IS NOT NULL',
    );
    // superseded by idx_deliveries_subscription_log (same leading columns, plus id)
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_6b9acfaa348aaf589c0d9c30a2"`);
    if (await this.trigramsAvailable(queryRunner)) await this.createTrigramIndex(queryRunner);
  }

  /** Not concurrent: TypeORM reverts inside a transaction whatever `transaction` says. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_6b9acfaa348aaf589c0d9c30a2" ON "deliveries" ("subscription_id", "created_at")`,
    );
    for (const name of [
      'idx_events_data_trgm',
      'idx_deliveries_original',
      'idx_deliveries_tenant_http_log',
      'idx_deliveries_tenant_type_log',
      'idx_deliveries_tenant_status_log',
      'idx_deliveries_subscription_log',
      'idx_deliveries_tenant_log',
    ]) {
      await queryRunner.query(`DROP INDEX IF EXISTS "${name}"`);
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

  /** The trigram index of event data: an optimisation, so a failure leaves no invalid index and stops nothing. */
  private async createTrigramIndex(queryRunner: QueryRunner): Promise<void> {
    try {
      await this.createIndex(queryRunner, 'idx_events_data_trgm', 'events USING gin ((data::text) gin_trgm_ops)');
    } catch (error) {
      queryRunner.connection.logger.log(
        'warn',
        `the trigram index of events was not built: ${(error as Error).message}`,
      );
      await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "idx_events_data_trgm"');
    }
  }

  /** Creates pg_trgm when missing and allowed; true when it is installed. */
  private async trigramsAvailable(queryRunner: QueryRunner): Promise<boolean> {
    try {
      await queryRunner.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    } catch (error) {
      queryRunner.connection.logger.log(
        'warn',
        `pg_trgm is not available (${(error as Error).message}): searching deliveries by text reads events without an index`,
      );
    }
    const rows = (await queryRunner.query(`SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'`)) as unknown[];
    return rows.length > 0;
  }
}
