CREATE TABLE "check_corrections" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"check_id" uuid NOT NULL,
	"attestation_id" text NOT NULL,
	"current_id" text,
	"current_status" text,
	"changes" jsonb NOT NULL,
	"verdict_before" "check_verdict" NOT NULL,
	"verdict_after" "check_verdict" NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbox_messages" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"jws" text NOT NULL,
	"outcome" text NOT NULL,
	"detail" text
);
--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "current_verdict" "check_verdict";--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "current_matches" jsonb;--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "corrected_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "check_corrections" ADD CONSTRAINT "check_corrections_seq_inbox_messages_seq_fk" FOREIGN KEY ("seq") REFERENCES "public"."inbox_messages"("seq") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_corrections" ADD CONSTRAINT "check_corrections_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_corrections_check_idx" ON "check_corrections" USING btree ("check_id");--> statement-breakpoint
CREATE INDEX "inbox_messages_received_idx" ON "inbox_messages" USING btree ("received_at");