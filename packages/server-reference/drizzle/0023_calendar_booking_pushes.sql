CREATE TABLE "calendar_booking_pushes" (
	"id" text PRIMARY KEY NOT NULL,
	"booking_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"action" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"series_started_at" timestamp with time zone NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "calendar_booking_pushes_action_known" CHECK ("calendar_booking_pushes"."action" in ('upsert', 'delete')),
	CONSTRAINT "calendar_booking_pushes_status_known" CHECK ("calendar_booking_pushes"."status" in ('pending', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "calendar_booking_pushes" ADD CONSTRAINT "calendar_booking_pushes_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_booking_pushes" ADD CONSTRAINT "calendar_booking_pushes_integration_id_calendar_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."calendar_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_booking_pushes_booking_integration_key" ON "calendar_booking_pushes" USING btree ("booking_id","integration_id");--> statement-breakpoint
CREATE INDEX "calendar_booking_pushes_due_idx" ON "calendar_booking_pushes" USING btree ("next_attempt_at") WHERE "calendar_booking_pushes"."status" = 'pending';