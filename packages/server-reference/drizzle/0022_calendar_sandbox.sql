CREATE TABLE "sandbox_calendar_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"calendar_id" text NOT NULL,
	"client_id" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"code_challenge" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_calendar_consents" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"browser_hash" text NOT NULL,
	"client_id" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"state_enc" text NOT NULL,
	"code_challenge" text NOT NULL,
	"scope" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_calendar_events" (
	"calendar_id" text NOT NULL,
	"id" text NOT NULL,
	"ical_uid" text NOT NULL,
	"status" text NOT NULL,
	"summary_enc" text,
	"description_enc" text,
	"start" jsonb NOT NULL,
	"end" jsonb NOT NULL,
	"recurrence" jsonb,
	"sequence" integer NOT NULL,
	"change_seq" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "sandbox_calendar_events_calendar_id_id_pk" PRIMARY KEY("calendar_id","id")
);
--> statement-breakpoint
CREATE TABLE "sandbox_calendar_sync_tokens" (
	"token" text PRIMARY KEY NOT NULL,
	"calendar_id" text NOT NULL,
	"change_seq" bigint NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_calendar_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"calendar_id" text NOT NULL,
	"kind" text NOT NULL,
	"client_id" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_calendars" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"scope" text NOT NULL,
	"change_seq" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sandbox_calendar_codes" ADD CONSTRAINT "sandbox_calendar_codes_calendar_id_sandbox_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."sandbox_calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_calendar_events" ADD CONSTRAINT "sandbox_calendar_events_calendar_id_sandbox_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."sandbox_calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_calendar_sync_tokens" ADD CONSTRAINT "sandbox_calendar_sync_tokens_calendar_id_sandbox_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."sandbox_calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_calendar_tokens" ADD CONSTRAINT "sandbox_calendar_tokens_calendar_id_sandbox_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."sandbox_calendars"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sandbox_calendar_codes_expires_idx" ON "sandbox_calendar_codes" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sandbox_calendar_consents_expires_idx" ON "sandbox_calendar_consents" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sandbox_calendar_events_changes_idx" ON "sandbox_calendar_events" USING btree ("calendar_id","change_seq");--> statement-breakpoint
CREATE INDEX "sandbox_calendar_sync_tokens_expires_idx" ON "sandbox_calendar_sync_tokens" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "sandbox_calendar_tokens_calendar_idx" ON "sandbox_calendar_tokens" USING btree ("calendar_id");