import { MigrationInterface, QueryRunner } from 'typeorm';

export class IncomingWebhooks1795619068611 implements MigrationInterface {
  name = 'IncomingWebhooks1795619068611';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sources" ("id" text NOT NULL, "tenant_id" text NOT NULL, "name" text NOT NULL, "provider" text NOT NULL, "scheme" text NOT NULL, "secret_sealed" text, "header" text, "tolerance_s" integer NOT NULL DEFAULT '300', "config" jsonb NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_85523beafe5a2a6b90b02096443" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_e021e0cced29cf02c342748c76" ON "sources" ("tenant_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "inbound_events" ("id" text NOT NULL, "tenant_id" text NOT NULL, "source_id" text NOT NULL, "provider" text NOT NULL, "kind" text, "event_type" text, "event_subtype" text, "entity_type" text, "entity_id" text, "entity_key" text, "dedup_key" text NOT NULL, "status" text NOT NULL, "retry_count" integer NOT NULL DEFAULT '0', "max_retries" integer NOT NULL DEFAULT '3', "error" text, "headers" jsonb NOT NULL, "payload" json NOT NULL, "content_type" text NOT NULL, "execution_context" jsonb NOT NULL DEFAULT '{}', "trace_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processing_started_at" TIMESTAMP WITH TIME ZONE, "processed_at" TIMESTAMP WITH TIME ZONE, "next_retry_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b76e26fa0121da742b191b7ded0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_inbound_events_due" ON "inbound_events" ("next_retry_at") WHERE status IN ('pending', 'retrying', 'processing')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_a8bb92900f46fc3fa5fd5fc25b" ON "inbound_events" ("tenant_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_10b05057ebbe7867daa4f1310e" ON "inbound_events" ("source_id", "dedup_key") `,
    );
    await queryRunner.query(`ALTER TABLE "events" ADD "inbound_event_id" text`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "data" TYPE json USING "data"::json`);
    await queryRunner.query(`CREATE INDEX "IDX_3b046a84b0016c3833dc3b36eb" ON "events" ("inbound_event_id") `);
    await queryRunner.query(
      `ALTER TABLE "sources" ADD CONSTRAINT "fk_sources_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "inbound_events" ADD CONSTRAINT "fk_inbound_events_source" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inbound_events" DROP CONSTRAINT "fk_inbound_events_source"`);
    await queryRunner.query(`ALTER TABLE "sources" DROP CONSTRAINT "fk_sources_tenant"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_3b046a84b0016c3833dc3b36eb"`);
    await queryRunner.query(`ALTER TABLE "events" ALTER COLUMN "data" TYPE jsonb USING "data"::jsonb`);
    await queryRunner.query(`ALTER TABLE "events" DROP COLUMN "inbound_event_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_10b05057ebbe7867daa4f1310e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_a8bb92900f46fc3fa5fd5fc25b"`);
    await queryRunner.query(`DROP INDEX "public"."idx_inbound_events_due"`);
    await queryRunner.query(`DROP TABLE "inbound_events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_e021e0cced29cf02c342748c76"`);
    await queryRunner.query(`DROP TABLE "sources"`);
  }
}
