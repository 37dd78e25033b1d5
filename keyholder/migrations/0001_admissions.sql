CREATE TABLE "admission_events" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "admission_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone NOT NULL,
	"action" text NOT NULL,
	"agency_ori" text NOT NULL,
	"kid" text NOT NULL,
	"note" text,
	CONSTRAINT "admission_events_action" CHECK ("admission_events"."action" in ('admit', 'revoke'))
);
--> statement-breakpoint
CREATE TABLE "admissions" (
	"agency_ori" text NOT NULL,
	"kid" text NOT NULL,
	"admitted_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"note" text,
	CONSTRAINT "admissions_agency_ori_kid_pk" PRIMARY KEY("agency_ori","kid"),
	CONSTRAINT "admissions_note_length" CHECK (char_length("admissions"."note") <= 200)
);
