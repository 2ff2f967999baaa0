CREATE TABLE "bookings" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"staff_id" text NOT NULL,
	"details_enc" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" text NOT NULL,
	"confirmation_message_id" text,
	"reminder_due_at" timestamp with time zone,
	"reminder_sent_at" timestamp with time zone,
	"reminder_message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bookings_ends_after_start" CHECK ("bookings"."ends_at" > "bookings"."starts_at"),
	CONSTRAINT "bookings_status_known" CHECK ("bookings"."status" in ('scheduled', 'cancelled', 'completed', 'no_show'))
);
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_contact_id_users_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bookings_starts_at_idx" ON "bookings" USING btree ("starts_at","id");--> statement-breakpoint
CREATE INDEX "bookings_staff_starts_at_idx" ON "bookings" USING btree ("staff_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_contact_starts_at_idx" ON "bookings" USING btree ("contact_id","starts_at");--> statement-breakpoint
CREATE INDEX "bookings_reminder_due_idx" ON "bookings" USING btree ("reminder_due_at") WHERE "bookings"."reminder_due_at" is not null;--> statement-breakpoint
-- Written by hand (drizzle cannot express it): one staff member is never booked twice for
-- overlapping time. Ranges are half-open, so back-to-back bookings pass; only scheduled
-- bookings take part, so cancelling (or closing) a booking frees its slot.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_staff_no_overlap" EXCLUDE USING gist ("staff_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&) WHERE ("status" = 'scheduled');--> statement-breakpoint
-- Dashboard: bookings by status (`bookings.completed`, `bookings.no_show`, …) for the no-show
-- rate; the figures of today and the coming week are read from bookings_starts_at_idx instead,
-- in the business time zone (a day's bookings are bounded by the staff's hours, not the data).
SELECT counters_define('bookings', 'bookings', '''bookings.'' || status', 'true', '');
