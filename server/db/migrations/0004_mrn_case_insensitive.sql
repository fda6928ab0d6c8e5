DROP INDEX "patients_mrn_lower_idx";--> statement-breakpoint
DROP INDEX "patients_mrn_key";--> statement-breakpoint
CREATE UNIQUE INDEX "patients_mrn_key" ON "patients" USING btree ("program_id",lower("mrn"));