ALTER TABLE "log_entries" DROP CONSTRAINT "log_entries_kind_check";--> statement-breakpoint
ALTER TABLE "statistics_snapshots" ADD COLUMN "version" integer;--> statement-breakpoint
ALTER TABLE "statistics_snapshots" ADD COLUMN "coverage_json" text;--> statement-breakpoint
ALTER TABLE "statistics_snapshots" ADD COLUMN "release_jws" text;--> statement-breakpoint
ALTER TABLE "statistics_snapshots" ADD COLUMN "log_index" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "statistics_snapshots_version_unique" ON "statistics_snapshots" USING btree ("version");--> statement-breakpoint
ALTER TABLE "log_entries" ADD CONSTRAINT "log_entries_kind_check" CHECK ("log_entries"."kind" in ('attestation', 'agency', 'keyholder_key', 'certification', 'credentialing_body', 'credential', 'credential_revocation', 'credential_affirmation', 'statistics_release'));