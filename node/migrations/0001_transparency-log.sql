CREATE TABLE "attestation_log" (
	"attestation_id" uuid PRIMARY KEY NOT NULL,
	"log_index" bigint NOT NULL,
	"salt" text NOT NULL,
	"verified_size" bigint NOT NULL,
	"verified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"alert_key" text NOT NULL,
	"message" text NOT NULL,
	"detail" jsonb NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"count" integer DEFAULT 1 NOT NULL,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "log_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"origin" text NOT NULL,
	"root" text NOT NULL,
	"note" text NOT NULL,
	"source" text NOT NULL,
	"verified_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "answer" jsonb;--> statement-breakpoint
ALTER TABLE "attestation_log" ADD CONSTRAINT "attestation_log_attestation_id_attestations_id_fk" FOREIGN KEY ("attestation_id") REFERENCES "public"."attestations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attestation_log_verified_idx" ON "attestation_log" USING btree ("verified_size","log_index");--> statement-breakpoint
CREATE UNIQUE INDEX "log_alerts_open_key" ON "log_alerts" USING btree ("alert_key") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "log_alerts_at_idx" ON "log_alerts" USING btree ("at");