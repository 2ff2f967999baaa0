CREATE TABLE "instances" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"heartbeat_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "locked_by" text;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "outcome" text DEFAULT 'failed' NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD COLUMN "instance_id" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "lease_id" text;--> statement-breakpoint
-- Attempts recorded before outcomes were kept: a 2xx was a delivery, anything else a failure.
UPDATE "webhook_attempts" SET "outcome" = 'delivered' WHERE "status_code" BETWEEN 200 AND 299;
