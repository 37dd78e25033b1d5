CREATE TABLE "credential_affirmations" (
	"id" text PRIMARY KEY NOT NULL,
	"ori" text NOT NULL,
	"kid" text NOT NULL,
	"affirmed_on" text NOT NULL,
	"valid_until" text NOT NULL,
	"issued_at" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"log_index" bigint NOT NULL,
	"jws" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credential_revocations" (
	"id" text PRIMARY KEY NOT NULL,
	"credential" text NOT NULL,
	"body" text NOT NULL,
	"kid" text NOT NULL,
	"reason" text NOT NULL,
	"revoked_on" text NOT NULL,
	"issued_at" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"log_index" bigint NOT NULL,
	"jws" text NOT NULL,
	CONSTRAINT "credential_revocations_credential_unique" UNIQUE("credential")
);
--> statement-breakpoint
CREATE TABLE "credentialing_bodies" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"contact_name" text NOT NULL,
	"contact_email" text NOT NULL,
	"contact_phone" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"status_since" timestamp with time zone NOT NULL,
	CONSTRAINT "credentialing_bodies_status_check" CHECK ("credentialing_bodies"."status" in ('active', 'suspended', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "credentialing_body_keys" (
	"kid" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"x" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credentialing_body_keys_status_check" CHECK ("credentialing_body_keys"."status" in ('active', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"id" text PRIMARY KEY NOT NULL,
	"body" text NOT NULL,
	"ori" text NOT NULL,
	"kid" text NOT NULL,
	"standards_list" integer NOT NULL,
	"standards" text[] NOT NULL,
	"mandatory_met" boolean NOT NULL,
	"assessed_on" text NOT NULL,
	"valid_until" text NOT NULL,
	"issued_at" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"log_index" bigint NOT NULL,
	"jws" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "log_entries" DROP CONSTRAINT "log_entries_kind_check";--> statement-breakpoint
ALTER TABLE "credential_affirmations" ADD CONSTRAINT "credential_affirmations_ori_agencies_ori_fk" FOREIGN KEY ("ori") REFERENCES "public"."agencies"("ori") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_revocations" ADD CONSTRAINT "credential_revocations_credential_credentials_id_fk" FOREIGN KEY ("credential") REFERENCES "public"."credentials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credential_revocations" ADD CONSTRAINT "credential_revocations_body_credentialing_bodies_id_fk" FOREIGN KEY ("body") REFERENCES "public"."credentialing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentialing_body_keys" ADD CONSTRAINT "credentialing_body_keys_body_credentialing_bodies_id_fk" FOREIGN KEY ("body") REFERENCES "public"."credentialing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_body_credentialing_bodies_id_fk" FOREIGN KEY ("body") REFERENCES "public"."credentialing_bodies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_ori_agencies_ori_fk" FOREIGN KEY ("ori") REFERENCES "public"."agencies"("ori") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "credential_affirmations_day_unique" ON "credential_affirmations" USING btree ("ori","affirmed_on");--> statement-breakpoint
CREATE INDEX "credentialing_body_keys_body_idx" ON "credentialing_body_keys" USING btree ("body");--> statement-breakpoint
CREATE UNIQUE INDEX "credentials_assessment_unique" ON "credentials" USING btree ("body","ori","assessed_on");--> statement-breakpoint
CREATE INDEX "credentials_ori_idx" ON "credentials" USING btree ("ori","assessed_on");--> statement-breakpoint
ALTER TABLE "log_entries" ADD CONSTRAINT "log_entries_kind_check" CHECK ("log_entries"."kind" in ('attestation', 'agency', 'keyholder_key', 'certification', 'credentialing_body', 'credential', 'credential_revocation', 'credential_affirmation'));