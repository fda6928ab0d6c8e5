CREATE TABLE "outcome_episodes" (
	"program_id" uuid NOT NULL,
	"episode_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"level_of_care" text NOT NULL,
	"admitted_on" date NOT NULL,
	"discharged_on" date,
	"medications" jsonb NOT NULL,
	"cm_protocol" text,
	"last_contact" date,
	"screens" integer NOT NULL,
	"screens_corrected" integer NOT NULL,
	"screens_invalid" integer NOT NULL,
	"weeks" jsonb NOT NULL,
	"time_zone" text NOT NULL,
	CONSTRAINT "outcome_episodes_program_id_episode_id_pk" PRIMARY KEY("program_id","episode_id")
);
--> statement-breakpoint
CREATE TABLE "outcome_stale" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"changes" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "outcome_stale_program_id_patient_id_pk" PRIMARY KEY("program_id","patient_id")
);
--> statement-breakpoint
CREATE INDEX "outcome_episodes_admitted_idx" ON "outcome_episodes" USING btree ("program_id","admitted_on");--> statement-breakpoint
CREATE INDEX "outcome_episodes_patient_idx" ON "outcome_episodes" USING btree ("program_id","patient_id");--> statement-breakpoint
-- Custom: the rollup's triggers only mark which patients' records changed (ADR 058); the rules
-- that turn records into outcomes stay in core/outcomes and run when a read folds them in. A
-- mark already there is updated, not skipped: the update locks it, so a fold that deletes it
-- waits for the write's commit and then reads the write (a skipped mark could be deleted by a
-- fold that never saw the write).
CREATE FUNCTION outcome_mark_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_stale (program_id, patient_id)
  SELECT DISTINCT c.program_id, c.patient_id FROM changed c
  ON CONFLICT (program_id, patient_id) DO UPDATE SET changes = outcome_stale.changes + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE FUNCTION outcome_mark_encounter_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_stale (program_id, patient_id)
  SELECT DISTINCT ep.program_id, ep.patient_id FROM changed c
    JOIN encounter_participants ep ON ep.program_id = c.program_id AND ep.encounter_id = c.id
  ON CONFLICT (program_id, patient_id) DO UPDATE SET changes = outcome_stale.changes + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER screens_outcome_insert AFTER INSERT ON screens REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER screen_corrections_outcome_insert AFTER INSERT ON screen_corrections REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
-- Of CM's events only a dose taken is a contact (a specimen is its screen's): a row trigger that
-- fires for doses alone keeps the recording path free of it.
CREATE FUNCTION outcome_mark_dose_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_stale (program_id, patient_id)
  VALUES (NEW.program_id, NEW.patient_id)
  ON CONFLICT (program_id, patient_id) DO UPDATE SET changes = outcome_stale.changes + 1;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER cm_events_outcome_insert AFTER INSERT ON cm_events
  FOR EACH ROW WHEN (NEW.kind = 'dose') EXECUTE FUNCTION outcome_mark_dose_stale();
--> statement-breakpoint
CREATE TRIGGER naltrexone_injections_outcome_insert AFTER INSERT ON naltrexone_injections REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER episodes_outcome_insert AFTER INSERT ON episodes REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER episodes_outcome_update AFTER UPDATE ON episodes REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER episodes_outcome_delete AFTER DELETE ON episodes REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER check_ins_outcome_insert AFTER INSERT ON check_ins REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER check_ins_outcome_update AFTER UPDATE ON check_ins REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER check_ins_outcome_delete AFTER DELETE ON check_ins REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER encounter_participants_outcome_insert AFTER INSERT ON encounter_participants REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER encounter_participants_outcome_update AFTER UPDATE ON encounter_participants REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER encounter_participants_outcome_delete AFTER DELETE ON encounter_participants REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER medications_outcome_insert AFTER INSERT ON medications REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER medications_outcome_update AFTER UPDATE ON medications REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER medications_outcome_delete AFTER DELETE ON medications REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER cm_enrolments_outcome_insert AFTER INSERT ON cm_enrolments REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER cm_enrolments_outcome_delete AFTER DELETE ON cm_enrolments REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_stale();
--> statement-breakpoint
CREATE TRIGGER encounters_outcome_update AFTER UPDATE ON encounters REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_mark_encounter_stale();
--> statement-breakpoint
-- Every patient already recorded is folded in by the first read.
INSERT INTO outcome_stale (program_id, patient_id) SELECT program_id, id FROM patients;
