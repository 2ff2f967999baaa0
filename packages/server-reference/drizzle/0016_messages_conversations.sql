DROP INDEX "messages_queued_idx";--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "direction" text DEFAULT 'outbound' NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "automated" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "author_staff_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
CREATE INDEX "messages_dispatch_idx" ON "messages" USING btree ("locked_until") WHERE "messages"."status" in ('queued', 'sending');--> statement-breakpoint
CREATE INDEX "messages_user_idx" ON "messages" USING btree ("user_id","id");