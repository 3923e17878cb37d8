import { MigrationInterface, QueryRunner } from 'typeorm';

/** The newest processing failure of a source's inbound events, shown on the source. */
export class SourceLastError1796300300000 implements MigrationInterface {
  name = 'SourceLastError1796300300000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" ADD "last_error" text`);
    await queryRunner.query(`ALTER TABLE "sources" ADD "last_error_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "last_error_at"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP COLUMN "last_error"`);
  }
}
