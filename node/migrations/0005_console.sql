CREATE TYPE "public"."console_audit_action" AS ENUM('sign_in', 'sign_in_failed', 'sign_in_locked', 'sign_out', 'check', 'check_refused', 'check_failed', 'evidence_downloaded', 'records_import', 'records_publish', 'user_added', 'user_disabled', 'password_reset');--> statement-breakpoint
CREATE TYPE "public"."console_role" AS ENUM('investigator', 'records_officer', 'administrator');--> statement-breakpoint
CREATE TABLE "console_audit" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"login" text,
	"action" "console_audit_action" NOT NULL,
	"check_id" uuid,
	"source" text,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "console_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console_sign_in_failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "console_users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"login" text NOT NULL,
	"display_name" text NOT NULL,
	"role" "console_role" NOT NULL,
	"password_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"password_changed_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "console_users_login_unique" UNIQUE("login")
);
--> statement-breakpoint
ALTER TABLE "checks" ADD COLUMN "evidence" jsonb;--> statement-breakpoint
ALTER TABLE "console_sessions" ADD CONSTRAINT "console_sessions_user_id_console_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."console_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "console_audit_at_idx" ON "console_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "console_audit_check_idx" ON "console_audit" USING btree ("check_id");--> statement-breakpoint
CREATE INDEX "console_sessions_user_idx" ON "console_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "console_sign_in_failures_key_idx" ON "console_sign_in_failures" USING btree ("key","at");