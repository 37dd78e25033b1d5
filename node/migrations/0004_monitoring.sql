CREATE TABLE "monitoring_enrollments" (
	"officer_id" integer NOT NULL,
	"employee_id" text NOT NULL,
	"hub_index" text NOT NULL,
	"kind" text NOT NULL,
	"epoch" integer NOT NULL,
	"tokenized_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "monitoring_enrollments_officer_id_hub_index_pk" PRIMARY KEY("officer_id","hub_index")
);
--> statement-breakpoint
CREATE TABLE "monitoring_notices" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"change" text NOT NULL,
	"statement_id" text,
	"previous_id" text,
	"issuer" text,
	"status" text,
	"category" text,
	"employee_ids" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "monitoring_notices" ADD CONSTRAINT "monitoring_notices_seq_inbox_messages_seq_fk" FOREIGN KEY ("seq") REFERENCES "public"."inbox_messages"("seq") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "monitoring_enrollments_hub_index_idx" ON "monitoring_enrollments" USING btree ("hub_index");