ALTER TABLE "patient_sessions" ALTER COLUMN "token_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD COLUMN "handoff_hash" text;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD COLUMN "handoff_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD COLUMN "handed_off_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "patient_sessions_handoff_key" ON "patient_sessions" USING btree ("program_id","handoff_hash");--> statement-breakpoint
-- custom SQL below
-- Sessions started before the hand-off code existed gave the tablet its token directly: they count as handed off.
UPDATE "patient_sessions" SET "handed_off_at" = "created_at" WHERE "handoff_hash" IS NULL AND "handed_off_at" IS NULL;
