CREATE TABLE "log_checkpoints" (
	"size" bigint PRIMARY KEY NOT NULL,
	"root" text NOT NULL,
	"note" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_cosignatures" (
	"size" bigint NOT NULL,
	"ori" text NOT NULL,
	"key_name" text NOT NULL,
	"line" text NOT NULL,
	"timestamp" bigint NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_cosignatures_size_ori_pk" PRIMARY KEY("size","ori")
);
--> statement-breakpoint
CREATE TABLE "log_entries" (
	"index" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"entry" text NOT NULL,
	"leaf_hash" text NOT NULL,
	"statement_id" text,
	"salt" text,
	"appended_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_entries_kind_check" CHECK ("log_entries"."kind" in ('attestation', 'agency', 'keyholder_key'))
);
--> statement-breakpoint
CREATE TABLE "log_expungements" (
	"attestation_id" text PRIMARY KEY NOT NULL,
	"log_index" bigint,
	"issuer" text NOT NULL,
	"order_ref" text NOT NULL,
	"expunged_by" text NOT NULL,
	"expunged_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "log_head" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"size" bigint NOT NULL,
	"root" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_head_singleton_check" CHECK ("log_head"."singleton")
);
--> statement-breakpoint
CREATE TABLE "log_nodes" (
	"level" integer NOT NULL,
	"index" bigint NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "log_nodes_level_index_pk" PRIMARY KEY("level","index")
);
--> statement-breakpoint
ALTER TABLE "log_cosignatures" ADD CONSTRAINT "log_cosignatures_size_log_checkpoints_size_fk" FOREIGN KEY ("size") REFERENCES "public"."log_checkpoints"("size") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "log_entries_statement_id_unique" ON "log_entries" USING btree ("statement_id") WHERE "log_entries"."statement_id" is not null;--> statement-breakpoint
CREATE INDEX "log_entries_leaf_hash_idx" ON "log_entries" USING btree ("leaf_hash","index");