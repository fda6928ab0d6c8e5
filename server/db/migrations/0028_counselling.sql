CREATE TABLE "caseload_assignments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"user_id" uuid NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" uuid,
	"reason" text,
	"ended_at" timestamp with time zone,
	"ended_by" uuid,
	"end_reason" text,
	CONSTRAINT "caseload_assignments_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "caseload_assignments_kind_check" CHECK ("caseload_assignments"."kind" in ('counsellor', 'peer')),
	CONSTRAINT "caseload_assignments_end_check" CHECK (("caseload_assignments"."ended_at" is null) = ("caseload_assignments"."end_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "counselling_rules" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "caseload_assignments" ADD CONSTRAINT "caseload_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_assignments" ADD CONSTRAINT "caseload_assignments_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_assignments" ADD CONSTRAINT "caseload_assignments_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "caseload_assignments" ADD CONSTRAINT "caseload_assignments_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_rules" ADD CONSTRAINT "counselling_rules_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_rules" ADD CONSTRAINT "counselling_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "caseload_assignments_current_key" ON "caseload_assignments" USING btree ("program_id","patient_id","kind") WHERE "caseload_assignments"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "caseload_assignments_user_idx" ON "caseload_assignments" USING btree ("program_id","user_id","kind") WHERE "caseload_assignments"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "caseload_assignments_patient_idx" ON "caseload_assignments" USING btree ("program_id","patient_id");--> statement-breakpoint
-- Caseload history is kept: an assignment is never deleted, and the only change it takes is
-- being ended once (ended_at, ended_by, end_reason), never re-opened or rewritten.
CREATE TRIGGER caseload_assignments_no_delete BEFORE DELETE ON caseload_assignments
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER caseload_assignments_no_truncate BEFORE TRUNCATE ON caseload_assignments
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION waypoint_caseload_end_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.ended_at IS NOT NULL
     OR NEW.program_id IS DISTINCT FROM OLD.program_id OR NEW.id IS DISTINCT FROM OLD.id
     OR NEW.patient_id IS DISTINCT FROM OLD.patient_id OR NEW.kind IS DISTINCT FROM OLD.kind
     OR NEW.user_id IS DISTINCT FROM OLD.user_id OR NEW.started_at IS DISTINCT FROM OLD.started_at
     OR NEW.started_by IS DISTINCT FROM OLD.started_by OR NEW.reason IS DISTINCT FROM OLD.reason THEN
    RAISE EXCEPTION 'caseload_assignments: an assignment can only be ended, once' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER caseload_assignments_end_only BEFORE UPDATE ON caseload_assignments
  FOR EACH ROW EXECUTE FUNCTION waypoint_caseload_end_only();
