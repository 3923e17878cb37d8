import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReleaseCounts1796293225072 implements MigrationInterface {
  name = 'ReleaseCounts1796293225072';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "deliveries" ADD "release_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "inbound_events" ADD "release_count" integer NOT NULL DEFAULT '0'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inbound_events" DROP COLUMN "release_count"`);
    await queryRunner.query(`ALTER TABLE "deliveries" DROP COLUMN "release_count"`);
  }
}
