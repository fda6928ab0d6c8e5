CREATE TABLE "program_help_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "safety_plan_versions" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"changed_sections" text[] NOT NULL,
	"saved_by_kind" text NOT NULL,
	"saved_by" uuid,
	"saved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "safety_plan_versions_program_id_patient_id_version_pk" PRIMARY KEY("program_id","patient_id","version"),
	CONSTRAINT "safety_plan_versions_saved_by_check" CHECK (("safety_plan_versions"."saved_by_kind" = 'patient' and "safety_plan_versions"."saved_by" is null) or ("safety_plan_versions"."saved_by_kind" = 'staff' and "safety_plan_versions"."saved_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "safety_plans" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"current_version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "safety_plans_program_id_patient_id_pk" PRIMARY KEY("program_id","patient_id")
);
--> statement-breakpoint
ALTER TABLE "program_help_settings" ADD CONSTRAINT "program_help_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "program_help_settings" ADD CONSTRAINT "program_help_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_plan_versions" ADD CONSTRAINT "safety_plan_versions_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_plan_versions" ADD CONSTRAINT "safety_plan_versions_plan_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."safety_plans"("program_id","patient_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_plans" ADD CONSTRAINT "safety_plans_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A saved safety-plan version is never changed or removed: a change is a new version.
CREATE TRIGGER safety_plan_versions_append_only BEFORE UPDATE OR DELETE ON safety_plan_versions
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER safety_plan_versions_no_truncate BEFORE TRUNCATE ON safety_plan_versions
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
