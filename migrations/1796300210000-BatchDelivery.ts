import { MigrationInterface, QueryRunner } from 'typeorm';

export class BatchDelivery1796300210000 implements MigrationInterface {
  name = 'BatchDelivery1796300210000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "batch_max_events" integer`);
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "batch_max_wait_ms" integer`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "batch_id" text`);
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "batch_size" integer`);
    await queryRunner.query(
      `CREATE INDEX "idx_deliveries_batch" ON "deliveries" ("batch_id") WHERE batch_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_deliveries_unbatched" ON "deliveries" ("subscription_id", "created_at", "id") WHERE status = 'queued' AND batch_id IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_deliveries_unbatched"`);
    await queryRunner.query(`DROP INDEX "public"."idx_deliveries_batch"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "batch_size"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "batch_id"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "batch_max_wait_ms"`);
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "batch_max_events"`);
  }
}
