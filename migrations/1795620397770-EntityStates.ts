import { MigrationInterface, QueryRunner } from 'typeorm';

export class EntityStates1795620397770 implements MigrationInterface {
  name = 'EntityStates1795620397770';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "entity_states" ("tenant_id" text NOT NULL, "entity_key" text NOT NULL, "last_occurred_at" TIMESTAMP WITH TIME ZONE, "deleted" boolean NOT NULL DEFAULT false, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a4ccf729339041a64ef649fbecc" PRIMARY KEY ("tenant_id", "entity_key"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "entity_states"`);
  }
}
