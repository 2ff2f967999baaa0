CREATE TABLE "comms_audit" (
	"audit_id" text PRIMARY KEY NOT NULL,
	"message_id" text,
	"client_id" text,
	"channel" text NOT NULL,
	"action" text NOT NULL,
	"detail" text,
	"provider" text,
	"provider_message_id" text,
	"provider_accepted_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_suppressions" (
	"email_bidx" text PRIMARY KEY NOT NULL,
	"email_enc" text NOT NULL,
	"active" boolean NOT NULL,
	"reason" text NOT NULL,
	"suppressed_at" timestamp with time zone NOT NULL,
	"lifted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sms_opt_outs" (
	"phone_bidx" text PRIMARY KEY NOT NULL,
	"phone_enc" text NOT NULL,
	"active" boolean NOT NULL,
	"source" text NOT NULL,
	"opted_out_at" timestamp with time zone NOT NULL,
	"opted_in_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "contains_phi" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "generic_notice" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "template_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "encoding" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "segments" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "batch_id" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "status_updated_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "comms_audit_message_idx" ON "comms_audit" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "comms_audit_client_idx" ON "comms_audit" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "messages_provider_message_idx" ON "messages" USING btree ("provider_message_id") WHERE "messages"."provider_message_id" is not null;