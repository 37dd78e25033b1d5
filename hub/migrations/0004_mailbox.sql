CREATE SEQUENCE "public"."mailbox_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "mailbox_expired" (
	"recipient" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"last_expired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mailbox_messages" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"recipient" text NOT NULL,
	"type" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"jws" text NOT NULL,
	"size" integer NOT NULL,
	"acknowledged_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "mailbox_unacknowledged_idx" ON "mailbox_messages" USING btree ("recipient","seq") WHERE "mailbox_messages"."acknowledged_at" is null;--> statement-breakpoint
CREATE INDEX "mailbox_created_idx" ON "mailbox_messages" USING btree ("created_at");