CREATE TABLE "calendar_integrations" (
	"id" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"tokens_enc" text NOT NULL,
	"access_expires_at" timestamp with time zone NOT NULL,
	"scopes" text NOT NULL,
	"connected_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"staff_id" text NOT NULL,
	"provider" text NOT NULL,
	"verifier_enc" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_integrations" ADD CONSTRAINT "calendar_integrations_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calendar_oauth_states" ADD CONSTRAINT "calendar_oauth_states_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_integrations_staff_provider_key" ON "calendar_integrations" USING btree ("staff_id","provider");--> statement-breakpoint
CREATE INDEX "calendar_oauth_states_expires_idx" ON "calendar_oauth_states" USING btree ("expires_at");