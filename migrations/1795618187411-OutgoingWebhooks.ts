import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutgoingWebhooks1795618187411 implements MigrationInterface {
  name = 'OutgoingWebhooks1795618187411';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "delivery_attempts" ("id" text NOT NULL, "delivery_id" text NOT NULL, "tenant_id" text NOT NULL, "attempt_number" integer NOT NULL, "success" boolean NOT NULL, "http_status" integer, "response_time_ms" integer NOT NULL, "error" text, "error_kind" text, "request_url" text NOT NULL, "request_headers" jsonb NOT NULL, "request_body" text NOT NULL, "response_headers" jsonb NOT NULL DEFAULT '{}', "response_body" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_41eba4eb5401d72860f7cd9a7ac" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_0c500f3c3d3e378b3130673a70" ON "delivery_attempts" ("created_at") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_4084d3cde31b14a10da92157af" ON "delivery_attempts" ("delivery_id", "attempt_number") `,
    );
    await queryRunner.query(
      `CREATE TABLE "deliveries" ("id" text NOT NULL, "tenant_id" text NOT NULL, "subscription_id" text NOT NULL, "event_id" text NOT NULL, "event_type" text NOT NULL, "entity_key" text, "status" text NOT NULL, "attempt_count" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE, "last_attempt_at" TIMESTAMP WITH TIME ZONE, "last_http_status" integer, "last_error" text, "original_delivery_id" text, "trace_id" text, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a6ef225c5c5f0974e503bfb731f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "idx_deliveries_due" ON "deliveries" ("next_attempt_at") WHERE status IN ('queued', 'retrying', 'sending')`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_6a9b04f909fedcc6438b48b90c" ON "deliveries" ("event_id") `);
    await queryRunner.query(
      `CREATE INDEX "IDX_6b9acfaa348aaf589c0d9c30a2" ON "deliveries" ("subscription_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "events" ("id" text NOT NULL, "tenant_id" text NOT NULL, "event_type" text NOT NULL, "data" jsonb NOT NULL, "metadata" jsonb NOT NULL DEFAULT '{}', "idempotency_key" text, "source" text NOT NULL DEFAULT 'api', "entity_key" text, "trace_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ebf676763640a4bec97adbcfed" ON "events" ("tenant_id", "idempotency_key") WHERE idempotency_key IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_16799264a4ae6a8691775b6595" ON "events" ("tenant_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "subscriptions" ("id" text NOT NULL, "tenant_id" text NOT NULL, "name" text NOT NULL, "url" text NOT NULL, "events" text array NOT NULL, "active" boolean NOT NULL DEFAULT true, "description" text, "metadata" jsonb NOT NULL DEFAULT '{}', "headers" jsonb NOT NULL DEFAULT '{}', "timeout_ms" integer NOT NULL DEFAULT '10000', "rate_limit_per_second" integer, "payload_template" jsonb, "preset" text, "ordered" boolean NOT NULL DEFAULT false, "secret_sealed" text NOT NULL, "previous_secret_sealed" text, "previous_secret_expires_at" TIMESTAMP WITH TIME ZONE, "disabled_reason" text, "disabled_at" TIMESTAMP WITH TIME ZONE, "deliveries_count" integer NOT NULL DEFAULT '0', "failures_count" integer NOT NULL DEFAULT '0', "successes_count" integer NOT NULL DEFAULT '0', "consecutive_dead" integer NOT NULL DEFAULT '0', "failing_since" TIMESTAMP WITH TIME ZONE, "last_delivery_at" TIMESTAMP WITH TIME ZONE, "last_delivery_status" text, "last_http_status" integer, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_ce5eac2e90080750830862cd6f" ON "subscriptions" ("tenant_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "subscriptions" ADD CONSTRAINT "fk_subscriptions_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "events" ADD CONSTRAINT "fk_events_tenant" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "deliveries" ADD CONSTRAINT "fk_deliveries_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "deliveries" ADD CONSTRAINT "fk_deliveries_subscription" FOREIGN KEY ("subscription_id") REFERENCES "subscriptions"("id") ON DELETE CASCADE`,
    );
    await queryRunner.query(
      `ALTER TABLE "delivery_attempts" ADD CONSTRAINT "fk_attempts_delivery" FOREIGN KEY ("delivery_id") REFERENCES "deliveries"("id") ON DELETE CASCADE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, name] of [
      ['delivery_attempts', 'fk_attempts_delivery'],
      ['deliveries', 'fk_deliveries_subscription'],
      ['deliveries', 'fk_deliveries_event'],
      ['events', 'fk_events_tenant'],
      ['subscriptions', 'fk_subscriptions_tenant'],
    ]) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${name}"`);
    }
    await queryRunner.query(`DROP INDEX "public"."IDX_ce5eac2e90080750830862cd6f"`);
    await queryRunner.query(`DROP TABLE "subscriptions"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_16799264a4ae6a8691775b6595"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ebf676763640a4bec97adbcfed"`);
    await queryRunner.query(`DROP TABLE "events"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6b9acfaa348aaf589c0d9c30a2"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_6a9b04f909fedcc6438b48b90c"`);
    await queryRunner.query(`DROP INDEX "public"."idx_deliveries_due"`);
    await queryRunner.query(`DROP TABLE "deliveries"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_4084d3cde31b14a10da92157af"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0c500f3c3d3e378b3130673a70"`);
    await queryRunner.query(`DROP TABLE "delivery_attempts"`);
  }
}
