import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deleting an event (retention, tenant deletion) cascades to its notifications by event_id; without
 * an index every deleted event read the whole notifications table.
 */
export class NotificationsEventIndex1796300300001 implements MigrationInterface {
  name = 'NotificationsEventIndex1796300300001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_notifications_event" ON "notifications" ("event_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_notifications_event"`);
  }
}
