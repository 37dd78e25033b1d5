CREATE TYPE "public"."key_status" AS ENUM('active', 'retired');--> statement-breakpoint
CREATE TYPE "public"."secret_protection" AS ENUM('none', 'aes-256-gcm');--> statement-breakpoint
CREATE TABLE "oprf_keys" (
	"epoch" bigint PRIMARY KEY NOT NULL,
	"share_index" integer NOT NULL,
	"threshold" integer NOT NULL,
	"total" integer NOT NULL,
	"public_key" text NOT NULL,
	"group_public_key" text NOT NULL,
	"public_shares" jsonb NOT NULL,
	"secret_key" text NOT NULL,
	"secret_protection" "secret_protection" NOT NULL,
	"kek_id" text,
	"status" "key_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "oprf_keys_epoch_range" CHECK ("oprf_keys"."epoch" between 1 and 4294967295),
	CONSTRAINT "oprf_keys_set_shape" CHECK (1 <= "oprf_keys"."threshold" and "oprf_keys"."threshold" <= "oprf_keys"."total" and "oprf_keys"."total" <= 16),
	CONSTRAINT "oprf_keys_share_range" CHECK ("oprf_keys"."share_index" between 1 and "oprf_keys"."total"),
	CONSTRAINT "oprf_keys_kek_id" CHECK (("oprf_keys"."secret_protection" = 'none') = ("oprf_keys"."kek_id" is null))
);
--> statement-breakpoint
CREATE TABLE "quota_allowances" (
	"agency_ori" text PRIMARY KEY NOT NULL,
	"daily" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "quota_allowances_daily_positive" CHECK ("quota_allowances"."daily" >= 0)
);
--> statement-breakpoint
CREATE TABLE "quota_usage" (
	"agency_ori" text NOT NULL,
	"day" date NOT NULL,
	"evaluated" integer NOT NULL,
	CONSTRAINT "quota_usage_agency_ori_day_pk" PRIMARY KEY("agency_ori","day"),
	CONSTRAINT "quota_usage_evaluated_positive" CHECK ("quota_usage"."evaluated" >= 0)
);
--> statement-breakpoint
CREATE TABLE "request_replay" (
	"issuer" text NOT NULL,
	"jti" text NOT NULL,
	"expires_at" bigint NOT NULL,
	CONSTRAINT "request_replay_issuer_jti_pk" PRIMARY KEY("issuer","jti")
);
