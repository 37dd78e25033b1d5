CREATE TABLE "retired_outcomes" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_digest" text NOT NULL,
	"expired_attestation_id" uuid NOT NULL,
	"expired_on" date NOT NULL,
	"action" text NOT NULL,
	"archive" jsonb,
	"retired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "retired_outcomes_case_unique" ON "retired_outcomes" USING btree ("case_digest");