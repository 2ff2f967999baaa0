ALTER TABLE "users" ADD COLUMN "email_bidx" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "name_tokens" text[];--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "automation_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "users_email_bidx_idx" ON "users" USING btree ("email_bidx") WHERE "users"."email_bidx" is not null;--> statement-breakpoint
CREATE INDEX "users_name_tokens_idx" ON "users" USING gin ("name_tokens");