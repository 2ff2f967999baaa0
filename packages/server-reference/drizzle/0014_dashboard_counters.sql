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
-- counters_define(tbl, family, name_sql, counted_sql, day_sql) makes the counters of table `tbl`
-- kept: it writes the trigger function `<tbl>_count()` and its AFTER INSERT, UPDATE and DELETE
-- triggers, FOR EACH STATEMENT over the transition tables `new_rows` / `old_rows`. Each row of
-- `new_rows` that `counted_sql` admits adds 1 to the counter `name_sql` names (an SQL expression
-- over the row, starting with `family`), each such row of `old_rows` takes 1 away; `day_sql`
-- (or '') also keeps the counts by that day in counter_days. One upsert per statement whatever
-- its number of rows, into the shard of this connection, so concurrent writers do not queue on
-- one row; an update that changes nothing counted writes nothing. The SQL is written into the
-- function rather than run with EXECUTE, so its plan is made once per connection, not per call.
-- A TRUNCATE of the table removes the family's counters.
CREATE FUNCTION "counters_define"(tbl text, family text, name_sql text, counted_sql text, day_sql text) RETURNS void LANGUAGE plpgsql AS $define$
DECLARE
  day_expr text := coalesce(nullif(day_sql, ''), 'null::date');
  added text := format('select %s as name, %s as day, 1 as n from new_rows where %s', name_sql, day_expr, counted_sql);
  removed text := format('select %s as name, %s as day, -1 as n from old_rows where %s', name_sql, day_expr, counted_sql);
  upsert text := $upsert$
      with deltas as (
        select name, day, sum(n)::bigint as n from (%s) d group by name, day having sum(n) <> 0
      ), by_day as (
        insert into counter_days (name, day, shard, value)
        select name, day, (pg_backend_pid() %% 16)::smallint, n from deltas where day is not null order by name, day
        on conflict (name, day, shard) do update set value = counter_days.value + excluded.value
      )
      insert into counters (name, shard, value)
      select name, (pg_backend_pid() %% 16)::smallint, sum(n) from deltas group by name having sum(n) <> 0 order by name
      on conflict (name, shard) do update set value = counters.value + excluded.value$upsert$;
BEGIN
  EXECUTE format($fn$
    CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
    BEGIN
      IF TG_OP = 'INSERT' THEN %s;
      ELSIF TG_OP = 'DELETE' THEN %s;
      ELSE %s;
      END IF;
      RETURN NULL;
    END $body$$fn$, tbl || '_count', format(upsert, added), format(upsert, removed), format(upsert, added || ' union all ' || removed));
  EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', tbl || '_count_insert', tbl, tbl || '_count');
  EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', tbl || '_count_update', tbl, tbl || '_count');
  EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION %I()', tbl || '_count_delete', tbl, tbl || '_count');
  EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION counters_reset(%L)', tbl || '_count_truncate', tbl, family);
END $define$;--> statement-breakpoint
-- counters_reset(family): after a TRUNCATE, the counters of the emptied table are 0.
CREATE FUNCTION "counters_reset"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM counters WHERE name = TG_ARGV[0] OR name LIKE TG_ARGV[0] || '.%';
  DELETE FROM counter_days WHERE name = TG_ARGV[0] OR name LIKE TG_ARGV[0] || '.%';
  RETURN NULL;
END $$;--> statement-breakpoint
-- Contacts: people not deleted, by the day they were created.
SELECT counters_define('users', 'contacts', '''contacts''', 'deleted_at is null', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
-- Partner leads, by the day they arrived.
SELECT counters_define('leads', 'leads', '''leads''', 'true', '(created_at at time zone ''UTC'')::date');--> statement-breakpoint
-- Messages by status (`messages.queued`, `messages.failed`, …; a new status is counted as it appears).
SELECT counters_define('messages', 'messages', '''messages.'' || status', 'true', '');--> statement-breakpoint
-- Active (not dismissed) alerts by severity (`alerts.active.critical`, …): one failed SMS raises
-- one, so nothing bounds how many stay active.
SELECT counters_define('alerts', 'alerts', '''alerts.active.'' || severity', 'dismissed_at is null', '');--> statement-breakpoint
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
