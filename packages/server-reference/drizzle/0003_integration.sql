CREATE TABLE "integration_api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "integration_partners" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"ip_allowlist" jsonb NOT NULL,
	"rate_limit_per_minute" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "therapists" (
	"id" text PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"type" text NOT NULL,
	"score" jsonb NOT NULL,
	"responses" jsonb NOT NULL,
	"completed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"therapist_id" text NOT NULL,
	"description" text NOT NULL,
	"module" text,
	"activities" jsonb NOT NULL,
	"notes" text,
	"due_date" timestamp with time zone,
	"priority" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "course_progress" (
	"client_id" text PRIMARY KEY NOT NULL,
	"current_week" integer NOT NULL,
	"is_active" boolean NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "daily_activities" (
	"client_id" text NOT NULL,
	"day" date NOT NULL,
	"mood" integer,
	"closeness" integer,
	"positive_interactions" integer DEFAULT 0 NOT NULL,
	"negative_interactions" integer DEFAULT 0 NOT NULL,
	"completed" boolean NOT NULL,
	CONSTRAINT "daily_activities_client_id_day_pk" PRIMARY KEY("client_id","day")
);
--> statement-breakpoint
CREATE TABLE "journal_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"text" text NOT NULL,
	"therapist_hidden" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "session_prep_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"therapist_id" text NOT NULL,
	"client_id" text NOT NULL,
	"report" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "therapist_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"therapist_id" text NOT NULL,
	"client_id" text NOT NULL,
	"alert_type" text NOT NULL,
	"severity" text NOT NULL,
	"message" text NOT NULL,
	"metadata" jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "weekly_strategies" (
	"client_id" text NOT NULL,
	"week_number" integer NOT NULL,
	"theme" text NOT NULL,
	"completed_days" integer NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "weekly_strategies_client_id_week_number_pk" PRIMARY KEY("client_id","week_number")
);
--> statement-breakpoint
CREATE TABLE "client_links" (
	"id" text PRIMARY KEY NOT NULL,
	"therapist_id" text NOT NULL,
	"client_id" text NOT NULL,
	"permission_level" text NOT NULL,
	"consent_granted_at" timestamp with time zone,
	"consent_revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clients" (
	"id" text PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "couple_profiles" (
	"couple_id" text PRIMARY KEY NOT NULL,
	"attachment_dynamic" jsonb NOT NULL,
	"communication_style" jsonb NOT NULL,
	"strengths" jsonb NOT NULL,
	"growth_edges" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "couples" (
	"id" text PRIMARY KEY NOT NULL,
	"partner1_id" text NOT NULL,
	"partner2_id" text NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matchups" (
	"id" text PRIMARY KEY NOT NULL,
	"couple_id" text NOT NULL,
	"score" real NOT NULL,
	"alignments" jsonb NOT NULL,
	"generated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "on_behalf_of" text;--> statement-breakpoint
ALTER TABLE "integration_api_keys" ADD CONSTRAINT "integration_api_keys_partner_id_integration_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."integration_partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "integration_api_keys_hash_key" ON "integration_api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "integration_api_keys_partner_idx" ON "integration_api_keys" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "assessments_client_idx" ON "assessments" USING btree ("client_id","completed_at");--> statement-breakpoint
CREATE INDEX "client_tasks_client_idx" ON "client_tasks" USING btree ("client_id","therapist_id");--> statement-breakpoint
CREATE INDEX "journal_entries_client_idx" ON "journal_entries" USING btree ("client_id","created_at");--> statement-breakpoint
CREATE INDEX "session_prep_reports_client_idx" ON "session_prep_reports" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "therapist_alerts_therapist_idx" ON "therapist_alerts" USING btree ("therapist_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "client_links_therapist_client_key" ON "client_links" USING btree ("therapist_id","client_id");--> statement-breakpoint
CREATE INDEX "client_links_client_idx" ON "client_links" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "couples_partner1_idx" ON "couples" USING btree ("partner1_id");--> statement-breakpoint
CREATE INDEX "couples_partner2_idx" ON "couples" USING btree ("partner2_id");--> statement-breakpoint
CREATE INDEX "matchups_couple_idx" ON "matchups" USING btree ("couple_id");