ALTER TABLE "attestation_keys" DROP CONSTRAINT "attestation_keys_attestation_id_attestations_id_fk";
--> statement-breakpoint
DROP INDEX "attestation_keys_hub_index_idx";--> statement-breakpoint
ALTER TABLE "attestation_keys" DROP CONSTRAINT "attestation_keys_attestation_id_hub_index_pk";--> statement-breakpoint
ALTER TABLE "attestation_keys" ADD CONSTRAINT "attestation_keys_hub_index_attestation_id_pk" PRIMARY KEY("hub_index","attestation_id");