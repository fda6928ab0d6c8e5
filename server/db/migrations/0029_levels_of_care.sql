CREATE TABLE "level_of_care_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"phase_template" jsonb NOT NULL,
	"take_home_tiers" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "naltrexone_injections" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"given_on" date NOT NULL,
	"dose_mg" integer,
	"site" text,
	"encounter_id" uuid,
	"note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "naltrexone_injections_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "naltrexone_injections_kind_check" CHECK ("naltrexone_injections"."kind" in ('given', 'stopped')),
	CONSTRAINT "naltrexone_injections_site_check" CHECK ("naltrexone_injections"."site" in ('left-gluteal', 'right-gluteal')),
	CONSTRAINT "naltrexone_injections_given_check" CHECK ("naltrexone_injections"."kind" = 'stopped' or ("naltrexone_injections"."dose_mg" is not null and "naltrexone_injections"."site" is not null))
);
--> statement-breakpoint
CREATE TABLE "stay_phase_changes" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"stay_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_index" integer,
	"to_index" integer,
	"reason" text NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stay_phase_changes_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "stay_phase_changes_kind_check" CHECK ("stay_phase_changes"."kind" in ('started', 'advanced', 'reduced', 'ended'))
);
--> statement-breakpoint
CREATE TABLE "stays" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"episode_id" uuid NOT NULL,
	"asam_level" text NOT NULL,
	"template" jsonb NOT NULL,
	"phase_index" integer NOT NULL,
	"started_on" date NOT NULL,
	"ended_on" date,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stays_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "stays_asam_level_check" CHECK ("stays"."asam_level" in ('0.5', '1', '2.1', '2.5', '3.1', '3.5', '3.7', '4', 'OTP')),
	CONSTRAINT "stays_phase_index_check" CHECK ("stays"."phase_index" >= 0)
);
--> statement-breakpoint
CREATE TABLE "take_home_schedules" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"medication" text NOT NULL,
	"dose" text NOT NULL,
	"treatment_started_on" date NOT NULL,
	"effective_on" date NOT NULL,
	"take_home_doses" integer NOT NULL,
	"clinic_days" integer[] NOT NULL,
	"note" text,
	"prescriber_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "take_home_schedules_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "take_home_schedules_medication_check" CHECK ("take_home_schedules"."medication" in ('methadone', 'buprenorphine')),
	CONSTRAINT "take_home_schedules_doses_check" CHECK ("take_home_schedules"."take_home_doses" >= 0)
);
--> statement-breakpoint
ALTER TABLE "level_of_care_settings" ADD CONSTRAINT "level_of_care_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "level_of_care_settings" ADD CONSTRAINT "level_of_care_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naltrexone_injections" ADD CONSTRAINT "naltrexone_injections_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naltrexone_injections" ADD CONSTRAINT "naltrexone_injections_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naltrexone_injections" ADD CONSTRAINT "naltrexone_injections_encounter_fk" FOREIGN KEY ("program_id","encounter_id") REFERENCES "public"."encounters"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stay_phase_changes" ADD CONSTRAINT "stay_phase_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stay_phase_changes" ADD CONSTRAINT "stay_phase_changes_stay_fk" FOREIGN KEY ("program_id","stay_id") REFERENCES "public"."stays"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stays" ADD CONSTRAINT "stays_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stays" ADD CONSTRAINT "stays_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stays" ADD CONSTRAINT "stays_episode_fk" FOREIGN KEY ("program_id","episode_id") REFERENCES "public"."episodes"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "take_home_schedules" ADD CONSTRAINT "take_home_schedules_prescriber_id_users_id_fk" FOREIGN KEY ("prescriber_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "take_home_schedules" ADD CONSTRAINT "take_home_schedules_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "naltrexone_injections_patient_idx" ON "naltrexone_injections" USING btree ("program_id","patient_id","given_on");--> statement-breakpoint
CREATE INDEX "stay_phase_changes_stay_idx" ON "stay_phase_changes" USING btree ("program_id","stay_id");--> statement-breakpoint
CREATE INDEX "stays_patient_idx" ON "stays" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stays_one_open" ON "stays" USING btree ("program_id","patient_id") WHERE ended_on is null;--> statement-breakpoint
CREATE INDEX "take_home_schedules_patient_idx" ON "take_home_schedules" USING btree ("program_id","patient_id","effective_on");
--> statement-breakpoint
-- A stay's phase history, take-home schedules and injections are records: never changed or removed.
CREATE TRIGGER stay_phase_changes_append_only BEFORE UPDATE OR DELETE ON stay_phase_changes
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stay_phase_changes_no_truncate BEFORE TRUNCATE ON stay_phase_changes
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER take_home_schedules_append_only BEFORE UPDATE OR DELETE ON take_home_schedules
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER take_home_schedules_no_truncate BEFORE TRUNCATE ON take_home_schedules
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER naltrexone_injections_append_only BEFORE UPDATE OR DELETE ON naltrexone_injections
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER naltrexone_injections_no_truncate BEFORE TRUNCATE ON naltrexone_injections
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
