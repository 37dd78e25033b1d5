CREATE TYPE "public"."attestation_delivery" AS ENUM('pending', 'sent', 'accepted', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."check_purpose" AS ENUM('hiring', 'promotion', 'assignment', 'task_force', 'internal');--> statement-breakpoint
CREATE TYPE "public"."check_state" AS ENUM('pending', 'answered', 'failed');--> statement-breakpoint
CREATE TYPE "public"."check_verdict" AS ENUM('record_found', 'review', 'no_record');--> statement-breakpoint
CREATE TYPE "public"."outbox_state" AS ENUM('pending', 'done', 'dead');--> statement-breakpoint
CREATE TYPE "public"."outcome_status" AS ENUM('notice_sent', 'pending_appeal', 'final', 'overturned', 'retracted', 'expired');--> statement-breakpoint
CREATE TABLE "officer_aliases" (
	"id" serial PRIMARY KEY NOT NULL,
	"officer_id" integer NOT NULL,
	"position" integer NOT NULL,
	"first_name" text,
	"last_name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "officers" (
	"id" serial PRIMARY KEY NOT NULL,
	"employee_id" text NOT NULL,
	"first_name" text NOT NULL,
	"middle_name" text,
	"last_name" text NOT NULL,
	"suffix" text,
	"date_of_birth" date,
	"ssn" text,
	"license_state" text,
	"license_number" text,
	"hire_date" date,
	"separation_date" date,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "officers_license_pair" CHECK (("officers"."license_state" is null) = ("officers"."license_number" is null))
);
--> statement-breakpoint
CREATE TABLE "outcomes" (
	"id" serial PRIMARY KEY NOT NULL,
	"officer_id" integer NOT NULL,
	"local_ref" text NOT NULL,
	"category" text NOT NULL,
	"category_list" integer NOT NULL,
	"use_of_force" boolean NOT NULL,
	"event_date" date NOT NULL,
	"outcome_date" date NOT NULL,
	"status" "outcome_status" NOT NULL,
	"status_date" date NOT NULL,
	"notified" boolean NOT NULL,
	"disputed_since" date,
	"revision" integer DEFAULT 1 NOT NULL,
	"attested_revision" integer,
	"attested_status" "outcome_status",
	"current_attestation_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "attestations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"outcome_id" integer NOT NULL,
	"outcome_revision" integer NOT NULL,
	"statement_status" "outcome_status" NOT NULL,
	"epoch" integer NOT NULL,
	"jws" text NOT NULL,
	"supersedes" uuid,
	"delivery" "attestation_delivery" DEFAULT 'pending' NOT NULL,
	"receipt" jsonb,
	"rejection_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"purpose" "check_purpose" NOT NULL,
	"consent_ref" text NOT NULL,
	"candidate_ref" text,
	"requested_by" text NOT NULL,
	"state" "check_state" DEFAULT 'pending' NOT NULL,
	"hub_check_id" uuid,
	"response_jws" text,
	"verdict" "check_verdict",
	"match_count" integer,
	"error_code" text,
	"created_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"dedupe_key" text,
	"payload" jsonb NOT NULL,
	"state" "outbox_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "node_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "officer_aliases" ADD CONSTRAINT "officer_aliases_officer_id_officers_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."officers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_officer_id_officers_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."officers"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_current_attestation_id_attestations_id_fk" FOREIGN KEY ("current_attestation_id") REFERENCES "public"."attestations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_outcome_id_outcomes_id_fk" FOREIGN KEY ("outcome_id") REFERENCES "public"."outcomes"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_supersedes_attestations_id_fk" FOREIGN KEY ("supersedes") REFERENCES "public"."attestations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "officer_aliases_position_unique" ON "officer_aliases" USING btree ("officer_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "officers_employee_id_unique" ON "officers" USING btree ("employee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outcomes_officer_case_unique" ON "outcomes" USING btree ("officer_id","local_ref");--> statement-breakpoint
CREATE INDEX "attestations_outcome_idx" ON "attestations" USING btree ("outcome_id","outcome_revision");--> statement-breakpoint
CREATE INDEX "checks_created_idx" ON "checks" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "outbox_dedupe_key_unique" ON "outbox" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("state","next_attempt_at");