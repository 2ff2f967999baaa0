-- Audit rows become a hash chain (seq, prev_hash, hash) and append-only.
-- Rows written before this migration are chained here, in id order (ids are time-sortable), with
-- the same encoding the server uses (src/services/audit-chain.ts): hash = hex SHA-256 of the
-- compact JSON array [prev_hash, seq, id, actor_type, actor_id, partner_id, on_behalf_of, method,
-- route, subject_type, subject_id, status, ip, request_id, created_at].
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" text;--> statement-breakpoint
DO $$
DECLARE
  r record;
  prev text := repeat('0', 64);
  n bigint := 0;
  h text;
BEGIN
  FOR r IN SELECT * FROM "audit_log" ORDER BY "id" LOOP
    n := n + 1;
    h := encode(sha256(convert_to('[' || concat_ws(',',
      to_json(prev)::text,
      n::text,
      to_json(r.id)::text,
      to_json(r.actor_type)::text,
      coalesce(to_json(r.actor_id)::text, 'null'),
      coalesce(to_json(r.partner_id)::text, 'null'),
      coalesce(to_json(r.on_behalf_of)::text, 'null'),
      to_json(r.method)::text,
      to_json(r.route)::text,
      coalesce(to_json(r.subject_type)::text, 'null'),
      coalesce(to_json(r.subject_id)::text, 'null'),
      r.status::text,
      coalesce(to_json(r.ip)::text, 'null'),
      to_json(r.request_id)::text,
      to_json(to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
    ) || ']', 'UTF8')), 'hex');
    UPDATE "audit_log" SET "seq" = n, "prev_hash" = prev, "hash" = h WHERE "id" = r.id;
    prev := h;
  END LOOP;
END $$;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "prev_hash" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "hash" SET NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
-- Append-only: the database itself refuses to change or remove an audit row, whoever asks.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION "audit_log_append_only"();
