CREATE TABLE "retention_notices" (
	"attestation_id" text PRIMARY KEY NOT NULL,
	"due_date" text NOT NULL,
	"recipients" integer NOT NULL,
	"sent_at" timestamp with time zone NOT NULL
);
