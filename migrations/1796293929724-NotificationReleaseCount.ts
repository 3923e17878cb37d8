import { MigrationInterface, QueryRunner } from 'typeorm';

export class NotificationReleaseCount1796293929724 implements MigrationInterface {
  name = 'NotificationReleaseCount1796293929724';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" ADD "release_count" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "release_count"`);
  }
}
