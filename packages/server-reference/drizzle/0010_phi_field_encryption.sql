DROP INDEX "patients_phone_e164_idx";--> statement-breakpoint
DROP INDEX "patients_home_phone_e164_idx";--> statement-breakpoint
DROP INDEX "patients_cell_phone_e164_idx";--> statement-breakpoint
DROP INDEX "staff_users_email_key";--> statement-breakpoint
DROP INDEX "users_phone_e164_key";--> statement-breakpoint
ALTER TABLE "patients" ALTER COLUMN "name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "therapists" ALTER COLUMN "first_name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "therapists" ALTER COLUMN "last_name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "therapists" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "assessments" ALTER COLUMN "responses" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "client_tasks" ALTER COLUMN "description" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "journal_entries" ALTER COLUMN "text" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "session_prep_reports" ALTER COLUMN "report" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "therapist_alerts" ALTER COLUMN "message" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ALTER COLUMN "first_name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ALTER COLUMN "last_name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "clients" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "original_message" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "leads" ALTER COLUMN "details" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "to_e164" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ALTER COLUMN "body" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ALTER COLUMN "email" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "staff_users" ALTER COLUMN "name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "phone_e164" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ALTER COLUMN "body" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "notes_enc" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "contact_enc" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "phone_bidx" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "home_phone_bidx" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "cell_phone_bidx" text;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_body_enc" text;--> statement-breakpoint
ALTER TABLE "therapists" ADD COLUMN "first_name_enc" text;--> statement-breakpoint
ALTER TABLE "therapists" ADD COLUMN "last_name_enc" text;--> statement-breakpoint
ALTER TABLE "therapists" ADD COLUMN "email_enc" text;--> statement-breakpoint
ALTER TABLE "assessments" ADD COLUMN "responses_enc" text;--> statement-breakpoint
ALTER TABLE "client_tasks" ADD COLUMN "description_enc" text;--> statement-breakpoint
ALTER TABLE "client_tasks" ADD COLUMN "notes_enc" text;--> statement-breakpoint
ALTER TABLE "journal_entries" ADD COLUMN "text_enc" text;--> statement-breakpoint
ALTER TABLE "session_prep_reports" ADD COLUMN "report_enc" text;--> statement-breakpoint
ALTER TABLE "therapist_alerts" ADD COLUMN "message_enc" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "first_name_enc" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "last_name_enc" text;--> statement-breakpoint
ALTER TABLE "clients" ADD COLUMN "email_enc" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "content_enc" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "content_enc" text;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "email_bidx" text;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "email_enc" text;--> statement-breakpoint
ALTER TABLE "staff_users" ADD COLUMN "name_enc" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone_bidx" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "profile_enc" text;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD COLUMN "body_enc" text;--> statement-breakpoint
CREATE INDEX "patients_phone_bidx_idx" ON "patients" USING btree ("phone_bidx");--> statement-breakpoint
CREATE INDEX "patients_home_phone_bidx_idx" ON "patients" USING btree ("home_phone_bidx");--> statement-breakpoint
CREATE INDEX "patients_cell_phone_bidx_idx" ON "patients" USING btree ("cell_phone_bidx");--> statement-breakpoint
CREATE UNIQUE INDEX "staff_users_email_bidx_key" ON "staff_users" USING btree ("email_bidx");--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_bidx_key" ON "users" USING btree ("phone_bidx");