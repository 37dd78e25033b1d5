CREATE TABLE "agencies" (
	"ori" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"jurisdiction" text NOT NULL,
	"state" text,
	"roles" text[] NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "agencies_status_check" CHECK ("agencies"."status" in ('active', 'suspended')),
	CONSTRAINT "agencies_jurisdiction_check" CHECK ("agencies"."jurisdiction" in ('federal', 'state', 'local', 'tribal', 'territorial'))
);
--> statement-breakpoint
CREATE TABLE "agency_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"ori" text NOT NULL,
	"x" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "agency_keys_status_check" CHECK ("agency_keys"."status" in ('active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "attestation_keys" (
	"attestation_id" text NOT NULL,
	"hub_index" text NOT NULL,
	"kind" text NOT NULL,
	CONSTRAINT "attestation_keys_attestation_id_hub_index_pk" PRIMARY KEY("attestation_id","hub_index")
);
--> statement-breakpoint
CREATE TABLE "attestations" (
	"id" text PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"kid" text NOT NULL,
	"epoch" integer NOT NULL,
	"category_list" integer NOT NULL,
	"category" text NOT NULL,
	"use_of_force" boolean NOT NULL,
	"event_date" text NOT NULL,
	"outcome_date" text NOT NULL,
	"status" text NOT NULL,
	"status_date" text NOT NULL,
	"disputed_since" text,
	"supersedes" text,
	"superseded_by" text,
	"issued_at" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"jws" text NOT NULL,
	CONSTRAINT "attestations_status_check" CHECK ("attestations"."status" in ('notice_sent', 'pending_appeal', 'final', 'overturned', 'retracted', 'expired'))
);
--> statement-breakpoint
CREATE TABLE "check_audit" (
	"check_id" text PRIMARY KEY NOT NULL,
	"requester" text NOT NULL,
	"checked_at" timestamp with time zone NOT NULL,
	"purpose" text NOT NULL,
	"consent_ref" text NOT NULL,
	"epoch" integer NOT NULL,
	"key_count" integer NOT NULL,
	"outcome" text NOT NULL,
	"match_count" integer NOT NULL,
	"matched_attestation_ids" text[] NOT NULL,
	CONSTRAINT "check_audit_outcome_check" CHECK ("check_audit"."outcome" in ('answered', 'too_many_matches'))
);
--> statement-breakpoint
CREATE TABLE "request_replay" (
	"issuer" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "request_replay_issuer_jti_pk" PRIMARY KEY("issuer","jti")
);
--> statement-breakpoint
ALTER TABLE "agency_keys" ADD CONSTRAINT "agency_keys_ori_agencies_ori_fk" FOREIGN KEY ("ori") REFERENCES "public"."agencies"("ori") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attestation_keys" ADD CONSTRAINT "attestation_keys_attestation_id_attestations_id_fk" FOREIGN KEY ("attestation_id") REFERENCES "public"."attestations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attestations" ADD CONSTRAINT "attestations_issuer_agencies_ori_fk" FOREIGN KEY ("issuer") REFERENCES "public"."agencies"("ori") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_keys_ori_idx" ON "agency_keys" USING btree ("ori");--> statement-breakpoint
CREATE INDEX "attestation_keys_hub_index_idx" ON "attestation_keys" USING btree ("hub_index");--> statement-breakpoint
CREATE UNIQUE INDEX "attestations_supersedes_unique" ON "attestations" USING btree ("supersedes") WHERE "attestations"."supersedes" is not null;--> statement-breakpoint
CREATE INDEX "attestations_issuer_idx" ON "attestations" USING btree ("issuer");--> statement-breakpoint
CREATE INDEX "check_audit_requester_idx" ON "check_audit" USING btree ("requester","checked_at");