ALTER TABLE "attestations" ADD COLUMN "live" boolean DEFAULT true NOT NULL;--> statement-breakpoint
-- Statements stored before re-statements were told apart: only heads state their chain's content.
UPDATE "attestations" SET "live" = ("superseded_by" IS NULL);
