CREATE TABLE "data_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"wrapped_key" text NOT NULL,
	"master_key_id" text NOT NULL,
	"active" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"rewrapped_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "settings" ADD COLUMN "key_id" text;--> statement-breakpoint
CREATE UNIQUE INDEX "data_keys_one_active_idx" ON "data_keys" USING btree ("active") WHERE "data_keys"."active";