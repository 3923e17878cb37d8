import { MigrationInterface, QueryRunner } from 'typeorm';

export class SignatureFormat1796300200000 implements MigrationInterface {
  name = 'SignatureFormat1796300200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" ADD "signature_format" text NOT NULL DEFAULT 'timestamped'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "subscriptions" DROP COLUMN "signature_format"`);
  }
}
