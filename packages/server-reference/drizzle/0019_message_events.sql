CREATE TABLE "message_events" (
	"id" text PRIMARY KEY NOT NULL,
	"message_id" text,
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"provider_message_id" text,
	"type" text NOT NULL,
	"status" text,
	"action" text,
	"error_code" text,
	"address_bidx" text,
	"occurred_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "message_events_provider_event_key" ON "message_events" USING btree ("provider","provider_event_id");--> statement-breakpoint
CREATE INDEX "message_events_message_idx" ON "message_events" USING btree ("message_id","received_at");