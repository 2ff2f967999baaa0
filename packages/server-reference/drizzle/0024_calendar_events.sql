CREATE TABLE "calendar_sync_status" (
	"integration_id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"provider" text NOT NULL,
	"cursor_enc" text,
	"generation" integer NOT NULL,
	"window_starts_at" timestamp with time zone,
	"window_ends_at" timestamp with time zone,
	"last_started_at" timestamp with time zone,
	"last_synced_at" timestamp with time zone,
	"last_full_sync_at" timestamp with time zone,
	"last_error" text,
	"consecutive_failures" integer NOT NULL,
	"next_sync_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_calendar_events" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"booking_id" text,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "synced_calendar_events" (
	"id" text PRIMARY KEY NOT NULL,
	"integration_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"provider" text NOT NULL,
	"provider_event_id" text NOT NULL,
	"ical_uid_bidx" text,
	"kind" text NOT NULL,
	"status" text NOT NULL,
	"series_event_id" text,
	"original_starts_at" timestamp with time zone,
	"details_enc" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"all_day" boolean NOT NULL,
	"busy" boolean NOT NULL,
	"recurrence" text,
	"recurrence_ends_at" timestamp with time zone,
	"provider_updated_at" timestamp with time zone,
	"sync_mark" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "synced_calendar_events_kind_known" CHECK ("synced_calendar_events"."kind" in ('single', 'master', 'exception')),
	CONSTRAINT "synced_calendar_events_status_known" CHECK ("synced_calendar_events"."status" in ('confirmed', 'tentative', 'cancelled')),
	CONSTRAINT "synced_calendar_events_ends_after_start" CHECK ("synced_calendar_events"."ends_at" >= "synced_calendar_events"."starts_at")
);
--> statement-breakpoint
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
ALTER TABLE "calendar_sync_status" ADD CONSTRAINT "calendar_sync_status_integration_id_calendar_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."calendar_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_sync_status" ADD CONSTRAINT "calendar_sync_status_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_calendar_events" ADD CONSTRAINT "client_calendar_events_client_id_users_id_fk" FOREIGN KEY ("client_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_calendar_events" ADD CONSTRAINT "client_calendar_events_integration_id_calendar_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."calendar_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_calendar_events" ADD CONSTRAINT "client_calendar_events_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "client_calendar_events" ADD CONSTRAINT "client_calendar_events_created_by_staff_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "synced_calendar_events" ADD CONSTRAINT "synced_calendar_events_integration_id_calendar_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."calendar_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "synced_calendar_events" ADD CONSTRAINT "synced_calendar_events_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_booking_pushes" ADD CONSTRAINT "calendar_booking_pushes_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_booking_pushes" ADD CONSTRAINT "calendar_booking_pushes_integration_id_calendar_integrations_id_fk" FOREIGN KEY ("integration_id") REFERENCES "public"."calendar_integrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calendar_sync_status_next_idx" ON "calendar_sync_status" USING btree ("next_sync_at");--> statement-breakpoint
CREATE UNIQUE INDEX "client_calendar_events_provider_event_key" ON "client_calendar_events" USING btree ("integration_id","provider_event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "client_calendar_events_booking_key" ON "client_calendar_events" USING btree ("booking_id","integration_id");--> statement-breakpoint
CREATE INDEX "client_calendar_events_client_idx" ON "client_calendar_events" USING btree ("client_id");--> statement-breakpoint
CREATE UNIQUE INDEX "synced_calendar_events_provider_event_key" ON "synced_calendar_events" USING btree ("integration_id","provider_event_id");--> statement-breakpoint
CREATE INDEX "synced_calendar_events_staff_start_idx" ON "synced_calendar_events" USING btree ("staff_id","starts_at");--> statement-breakpoint
CREATE INDEX "synced_calendar_events_series_idx" ON "synced_calendar_events" USING btree ("integration_id","series_event_id") WHERE "synced_calendar_events"."series_event_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_booking_pushes_booking_integration_key" ON "calendar_booking_pushes" USING btree ("booking_id","integration_id");--> statement-breakpoint
CREATE INDEX "calendar_booking_pushes_due_idx" ON "calendar_booking_pushes" USING btree ("next_attempt_at") WHERE "calendar_booking_pushes"."status" = 'pending';