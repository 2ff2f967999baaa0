CREATE TABLE "counter_days" (
	"name" text NOT NULL,
	"day" date NOT NULL,
	"shard" smallint NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "counter_days_name_day_shard_pk" PRIMARY KEY("name","day","shard")
);
--> statement-breakpoint
CREATE TABLE "counters" (
	"name" text NOT NULL,
	"shard" smallint NOT NULL,
	"value" bigint NOT NULL,
	CONSTRAINT "counters_name_shard_pk" PRIMARY KEY("name","shard")
);
--> statement-breakpoint
-- counters_track(name_sql, counted_sql, day_sql): an AFTER ... FOR EACH STATEMENT trigger over
-- the transition tables `new_rows` / `old_rows`. Each row of `new_rows` that `counted_sql` admits
-- adds 1 to the counter `name_sql` names (an SQL expression over the row), each such row of
-- `old_rows` takes 1 away; `day_sql` (or '') also keeps the counts by that day in counter_days.
-- One upsert per statement whatever its number of rows, into the shard of this connection, so
-- concurrent writers do not queue on one row; an update that changes nothing counted writes nothing.
CREATE FUNCTION "counters_track"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  name_sql text := TG_ARGV[0];
  counted_sql text := TG_ARGV[1];
  day_sql text := coalesce(nullif(TG_ARGV[2], ''), 'null::date');
  added text := format('select %s as name, %s as day, 1 as n from new_rows where %s', name_sql, day_sql, counted_sql);
  removed text := format('select %s as name, %s as day, -1 as n from old_rows where %s', name_sql, day_sql, counted_sql);
  deltas text;
BEGIN
  deltas := CASE TG_OP WHEN 'INSERT' THEN added WHEN 'DELETE' THEN removed ELSE added || ' union all ' || removed END;
  EXECUTE format($q$
    with deltas as (
      select name, day, sum(n)::bigint as n from (%s) d group by name, day having sum(n) <> 0
    ), by_day as (
      insert into counter_days (name, day, shard, value)
      select name, day, (pg_backend_pid() %% 16)::smallint, n from deltas where day is not null order by name, day
      on conflict (name, day, shard) do update set value = counter_days.value + excluded.value
    )
    insert into counters (name, shard, value)
    select name, (pg_backend_pid() %% 16)::smallint, sum(n) from deltas group by name having sum(n) <> 0 order by name
    on conflict (name, shard) do update set value = counters.value + excluded.value$q$, deltas);
  RETURN NULL;
END $$;--> statement-breakpoint
-- counters_reset(prefix): after a TRUNCATE, the counters of the emptied table are 0.
CREATE FUNCTION "counters_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM counters WHERE name = TG_ARGV[0] OR name LIKE TG_ARGV[0] || '.%';
  DELETE FROM counter_days WHERE name = TG_ARGV[0] OR name LIKE TG_ARGV[0] || '.%';
  RETURN NULL;
END $$;--> statement-breakpoint
-- Contacts: people not deleted, by the day they were created.
CREATE TRIGGER "users_count_insert" AFTER INSERT ON "users" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''contacts''', 'deleted_at is null', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
CREATE TRIGGER "users_count_update" AFTER UPDATE ON "users" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''contacts''', 'deleted_at is null', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
CREATE TRIGGER "users_count_delete" AFTER DELETE ON "users" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''contacts''', 'deleted_at is null', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
CREATE TRIGGER "users_count_truncate" AFTER TRUNCATE ON "users" FOR EACH STATEMENT EXECUTE FUNCTION counters_reset('contacts');--> statement-breakpoint
-- Partner leads, by the day they arrived (a lead is never updated in what this counts).
CREATE TRIGGER "leads_count_insert" AFTER INSERT ON "leads" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''leads''', 'true', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
CREATE TRIGGER "leads_count_delete" AFTER DELETE ON "leads" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''leads''', 'true', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
CREATE TRIGGER "leads_count_truncate" AFTER TRUNCATE ON "leads" FOR EACH STATEMENT EXECUTE FUNCTION counters_reset('leads');--> statement-breakpoint
-- Messages by status (`messages.queued`, `messages.failed`, …; a new status is counted as it appears).
CREATE TRIGGER "messages_count_insert" AFTER INSERT ON "messages" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''messages.'' || status', 'true', '');--> statement-breakpoint
CREATE TRIGGER "messages_count_update" AFTER UPDATE ON "messages" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''messages.'' || status', 'true', '');--> statement-breakpoint
CREATE TRIGGER "messages_count_delete" AFTER DELETE ON "messages" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''messages.'' || status', 'true', '');--> statement-breakpoint
CREATE TRIGGER "messages_count_truncate" AFTER TRUNCATE ON "messages" FOR EACH STATEMENT EXECUTE FUNCTION counters_reset('messages');--> statement-breakpoint
-- Active (not dismissed) alerts by severity (`alerts.active.critical`, …): one failed SMS raises
-- one, so nothing bounds how many stay active.
CREATE TRIGGER "alerts_count_insert" AFTER INSERT ON "alerts" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''alerts.active.'' || severity', 'dismissed_at is null', '');--> statement-breakpoint
CREATE TRIGGER "alerts_count_update" AFTER UPDATE ON "alerts" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''alerts.active.'' || severity', 'dismissed_at is null', '');--> statement-breakpoint
CREATE TRIGGER "alerts_count_delete" AFTER DELETE ON "alerts" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT
  EXECUTE FUNCTION counters_track('''alerts.active.'' || severity', 'dismissed_at is null', '');--> statement-breakpoint
CREATE TRIGGER "alerts_count_truncate" AFTER TRUNCATE ON "alerts" FOR EACH STATEMENT EXECUTE FUNCTION counters_reset('alerts');--> statement-breakpoint
-- What existed before the triggers, counted once. The triggers came first: their locks keep
-- writers out until this migration commits, so nothing is counted twice or missed.
INSERT INTO counters (name, shard, value)
  SELECT 'contacts', 0, count(*) FROM users WHERE deleted_at IS NULL HAVING count(*) > 0
  UNION ALL SELECT 'leads', 0, count(*) FROM leads HAVING count(*) > 0
  UNION ALL SELECT 'messages.' || status, 0, count(*) FROM messages GROUP BY status
  UNION ALL SELECT 'alerts.active.' || severity, 0, count(*) FROM alerts WHERE dismissed_at IS NULL GROUP BY severity;--> statement-breakpoint
INSERT INTO counter_days (name, day, shard, value)
  SELECT 'contacts', (created_at at time zone 'UTC')::date, 0, count(*) FROM users WHERE deleted_at IS NULL GROUP BY 2
  UNION ALL SELECT 'leads', (created_at at time zone 'UTC')::date, 0, count(*) FROM leads GROUP BY 2;
