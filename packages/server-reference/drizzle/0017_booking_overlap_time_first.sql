-- The same guarantee with the time range as the GiST index's first column: bookings arrive
-- roughly in time order, so each insert lands where the last one did instead of in one of
-- many per-staff subtrees (fewer pages touched per insert on the embedded database).
ALTER TABLE "bookings" DROP CONSTRAINT "bookings_staff_no_overlap", ADD CONSTRAINT "bookings_staff_no_overlap" EXCLUDE USING gist (tstzrange("starts_at", "ends_at", '[)') WITH &&, "staff_id" WITH =) WHERE ("status" = 'scheduled');
