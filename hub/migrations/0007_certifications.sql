CREATE TABLE "certifications" (
	"id" text PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"kid" text NOT NULL,
	"period" text NOT NULL,
	"sworn" integer NOT NULL,
	"statements" integer NOT NULL,
	"zero_report" boolean NOT NULL,
	"supersedes" text,
	"superseded_by" text,
	"deadline" text NOT NULL,
	"deadline_table" integer NOT NULL,
	"issued_at" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"log_index" bigint NOT NULL,
	"jws" text NOT NULL,
	CONSTRAINT "certifications_sworn_check" CHECK ("certifications"."sworn" >= 0),
	CONSTRAINT "certifications_statements_check" CHECK ("certifications"."statements" >= 0)
);
--> statement-breakpoint
ALTER TABLE "log_entries" DROP CONSTRAINT "log_entries_kind_check";--> statement-breakpoint
ALTER TABLE "certifications" ADD CONSTRAINT "certifications_issuer_agencies_ori_fk" FOREIGN KEY ("issuer") REFERENCES "public"."agencies"("ori") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "certifications_head_unique" ON "certifications" USING btree ("issuer","period") WHERE "certifications"."superseded_by" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "certifications_supersedes_unique" ON "certifications" USING btree ("supersedes") WHERE "certifications"."supersedes" is not null;--> statement-breakpoint
CREATE INDEX "certifications_period_idx" ON "certifications" USING btree ("period","issuer");--> statement-breakpoint
ALTER TABLE "log_entries" ADD CONSTRAINT "log_entries_kind_check" CHECK ("log_entries"."kind" in ('attestation', 'agency', 'keyholder_key', 'certification'));