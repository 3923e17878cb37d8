import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795620714631 implements MigrationInterface {
  name = 'Notifications1795620714631';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_rules" ("id" text NOT NULL, "tenant_id" text NOT NULL, "name" text NOT NULL, "event_types" text array NOT NULL, "conditions" jsonb NOT NULL DEFAULT '[]', "channel" text NOT NULL, "target" text NOT NULL, "template" text, "template_id" text, "parse_mode" text, "locale" text, "timezone" text, "credentials_sealed" text, "suppression" jsonb NOT NULL DEFAULT '{}', "whatsapp_template" jsonb, "active" boolean NOT NULL DEFAULT true, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_eb87ba4f7f01eabf003fcf4e65c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_0662082df3f922b08bdd3113b7" ON "notification_rules" ("tenant_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "notifications" ("id" text NOT NULL, "tenant_id" text NOT NULL, "rule_id" text NOT NULL, "event_id" text NOT NULL, "event_type" text NOT NULL, "channel" text NOT NULL, "target" text, "status" text NOT NULL, "skip_reason" text, "rendered_text" text, "provider_response" jsonb, "provider_status" integer, "error" text, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "sent_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_notifications_due" ON "notifications" ("next_attempt_at") WHERE status IN ('queued', 'sending')`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_519d212c491ea2aff5ad82ac3d" ON "notifications" ("tenant_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_64202f54861fa7c645f5bfe3e3" ON "notifications" ("rule_id", "event_id") `,
    );
    await queryRunner.query(`ALTER TABLE "tenants" ADD "timezone" text NOT NULL DEFAULT 'UTC'`);
    await queryRunner.query(`ALTER TABLE "tenants" ADD "locale" text NOT NULL DEFAULT 'en'`);
    await queryRunner.query(
      `ALTER TABLE "notification_rules" ADD CONSTRAINT "fk_notification_rules_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "fk_notifications_rule" FOREIGN KEY ("rule_id") REFERENCES "notification_rules"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "notifications" ADD CONSTRAINT "fk_notifications_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_event"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_rule"`);
    await queryRunner.query(`ALTER TABLE "notification_rules" DROP CONSTRAINT "fk_notification_rules_tenant"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "locale"`);
    await queryRunner.query(`ALTER TABLE "tenants" DROP COLUMN "timezone"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_64202f54861fa7c645f5bfe3e3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_519d212c491ea2aff5ad82ac3d"`);
    await queryRunner.query(`DROP INDEX "public"."idx_notifications_due"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0662082df3f922b08bdd3113b7"`);
    await queryRunner.query(`DROP TABLE "notification_rules"`);
  }
}
