CREATE TABLE "inventory_items" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"sku" text,
	"unit" text,
	"quantity" integer NOT NULL,
	"low_stock_threshold" integer NOT NULL,
	"low_alert_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "inventory_items_quantity_nonnegative" CHECK ("inventory_items"."quantity" >= 0),
	CONSTRAINT "inventory_items_threshold_nonnegative" CHECK ("inventory_items"."low_stock_threshold" >= 0)
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "subject_type" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "subject_id" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "dismissed_by" text;--> statement-breakpoint
CREATE UNIQUE INDEX "inventory_items_sku_key" ON "inventory_items" USING btree ("sku") WHERE "inventory_items"."sku" is not null;--> statement-breakpoint
CREATE INDEX "inventory_items_low_idx" ON "inventory_items" USING btree ("id") WHERE "inventory_items"."quantity" <= "inventory_items"."low_stock_threshold";--> statement-breakpoint
CREATE INDEX "alerts_active_idx" ON "alerts" USING btree ("severity") WHERE "alerts"."dismissed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_active_inventory_low_idx" ON "alerts" USING btree ("subject_id") WHERE "alerts"."type" = 'inventory_low' and "alerts"."dismissed_at" is null;