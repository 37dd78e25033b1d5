CREATE TABLE "monitoring_enrollments" (
	"agency" text NOT NULL,
	"hub_index" text NOT NULL,
	"kind" text NOT NULL,
	"epoch" integer NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "monitoring_enrollments_agency_hub_index_pk" PRIMARY KEY("agency","hub_index")
);
--> statement-breakpoint
CREATE TABLE "monitoring_notices" (
	"recipient" text NOT NULL,
	"attestation_id" text NOT NULL,
	"matches" jsonb NOT NULL,
	"shown" boolean NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "monitoring_notices_recipient_attestation_id_pk" PRIMARY KEY("recipient","attestation_id")
);
--> statement-breakpoint
ALTER TABLE "monitoring_enrollments" ADD CONSTRAINT "monitoring_enrollments_agency_agencies_ori_fk" FOREIGN KEY ("agency") REFERENCES "public"."agencies"("ori") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "monitoring_enrollments_hub_index_idx" ON "monitoring_enrollments" USING btree ("hub_index");--> statement-breakpoint
CREATE INDEX "monitoring_enrollments_expiry_idx" ON "monitoring_enrollments" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "monitoring_notices_attestation_idx" ON "monitoring_notices" USING btree ("attestation_id");