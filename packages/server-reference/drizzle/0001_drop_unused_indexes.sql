DROP INDEX "audit_log_partner_idx";--> statement-breakpoint
DROP INDEX "leads_user_idx";--> statement-breakpoint
DROP INDEX "messages_user_idx";