ALTER TABLE "patients" DROP CONSTRAINT "patients_program_id_programs_id_fk";
--> statement-breakpoint
-- A patient's programme must exist. A foreign key would check that by taking a share
-- lock on the programme's row for every registration (one hot row per clinic); since a
-- programme is never deleted and its id never changes (refused below), an unlocked
-- existence check gives the same guarantee (ADR 015).
CREATE FUNCTION waypoint_require_program() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM programs WHERE id = NEW.program_id) THEN
    RAISE EXCEPTION 'program % does not exist', NEW.program_id
      USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME, COLUMN = 'program_id';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER patients_program_exists BEFORE INSERT OR UPDATE OF program_id ON patients
  FOR EACH ROW EXECUTE FUNCTION waypoint_require_program();
--> statement-breakpoint
CREATE FUNCTION waypoint_keep_program() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.id = OLD.id THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'a programme is never deleted and its id never changes: its records must be kept (% refused)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER programs_kept BEFORE UPDATE OF id OR DELETE ON programs
  FOR EACH ROW EXECUTE FUNCTION waypoint_keep_program();
--> statement-breakpoint
CREATE TRIGGER programs_no_truncate BEFORE TRUNCATE ON programs
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_keep_program();
