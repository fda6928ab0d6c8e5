CREATE TABLE "encounter_changes" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_starts_at" timestamp with time zone,
	"to_starts_at" timestamp with time zone,
	"reason" text NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "encounter_changes_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "encounter_changes_kind_check" CHECK ("encounter_changes"."kind" in ('rescheduled', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "encounter_participants" (
	"program_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"arrived_at" timestamp with time zone,
	"arrival_recorded_by" uuid,
	"attendance" text,
	"attendance_reason" text,
	"attendance_recorded_by" uuid,
	"attendance_recorded_at" timestamp with time zone,
	"cm_event_id" uuid,
	"added_at" timestamp with time zone NOT NULL,
	CONSTRAINT "encounter_participants_program_id_encounter_id_patient_id_pk" PRIMARY KEY("program_id","encounter_id","patient_id"),
	CONSTRAINT "encounter_participants_attendance_check" CHECK ("encounter_participants"."attendance" in ('attended', 'late', 'left-early', 'no-show', 'cancelled-patient', 'cancelled-clinic', 'excused'))
);
--> statement-breakpoint
CREATE TABLE "encounter_types" (
	"program_id" uuid NOT NULL,
	"code" text NOT NULL,
	"category" text NOT NULL,
	"counselling" boolean NOT NULL,
	"label_en" text NOT NULL,
	"label_es" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "encounter_types_program_id_code_pk" PRIMARY KEY("program_id","code"),
	CONSTRAINT "encounter_types_category_check" CHECK ("encounter_types"."category" in ('intake', 'individual', 'group', 'family', 'mi', 'case-management', 'peer', 'medication'))
);
--> statement-breakpoint
CREATE TABLE "encounters" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"type_code" text NOT NULL,
	"modality" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"staff_id" uuid NOT NULL,
	"room_id" uuid,
	"series_id" uuid,
	"title" text,
	"capacity" integer,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"cancelled_by" text,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "encounters_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "encounters_modality_check" CHECK ("encounters"."modality" in ('in-person', 'video', 'phone')),
	CONSTRAINT "encounters_status_check" CHECK ("encounters"."status" in ('scheduled', 'completed', 'cancelled')),
	CONSTRAINT "encounters_cancelled_by_check" CHECK ("encounters"."cancelled_by" in ('patient', 'clinic')),
	CONSTRAINT "encounters_ends_after_start" CHECK ("encounters"."ends_at" > "encounters"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "group_series" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"type_code" text NOT NULL,
	"title" text NOT NULL,
	"modality" text NOT NULL,
	"lead_staff_id" uuid NOT NULL,
	"room_id" uuid,
	"first_date" date NOT NULL,
	"weeks" integer NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"capacity" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "group_series_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "group_series_modality_check" CHECK ("group_series"."modality" in ('in-person', 'video', 'phone'))
);
--> statement-breakpoint
CREATE TABLE "group_series_members" (
	"program_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	"left_at" timestamp with time zone,
	CONSTRAINT "group_series_members_program_id_series_id_patient_id_pk" PRIMARY KEY("program_id","series_id","patient_id")
);
--> statement-breakpoint
CREATE TABLE "rooms" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"capacity" integer,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rooms_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "encounter_changes" ADD CONSTRAINT "encounter_changes_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_changes" ADD CONSTRAINT "encounter_changes_encounter_fk" FOREIGN KEY ("program_id","encounter_id") REFERENCES "public"."encounters"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_participants" ADD CONSTRAINT "encounter_participants_arrival_recorded_by_users_id_fk" FOREIGN KEY ("arrival_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_participants" ADD CONSTRAINT "encounter_participants_attendance_recorded_by_users_id_fk" FOREIGN KEY ("attendance_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_participants" ADD CONSTRAINT "encounter_participants_encounter_fk" FOREIGN KEY ("program_id","encounter_id") REFERENCES "public"."encounters"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_participants" ADD CONSTRAINT "encounter_participants_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounter_types" ADD CONSTRAINT "encounter_types_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_staff_id_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_room_fk" FOREIGN KEY ("program_id","room_id") REFERENCES "public"."rooms"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_series_fk" FOREIGN KEY ("program_id","series_id") REFERENCES "public"."group_series"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_series" ADD CONSTRAINT "group_series_lead_staff_id_users_id_fk" FOREIGN KEY ("lead_staff_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_series" ADD CONSTRAINT "group_series_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_series" ADD CONSTRAINT "group_series_room_fk" FOREIGN KEY ("program_id","room_id") REFERENCES "public"."rooms"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_series_members" ADD CONSTRAINT "group_series_members_series_fk" FOREIGN KEY ("program_id","series_id") REFERENCES "public"."group_series"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_series_members" ADD CONSTRAINT "group_series_members_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "encounter_changes_encounter_idx" ON "encounter_changes" USING btree ("program_id","encounter_id");--> statement-breakpoint
CREATE INDEX "encounter_participants_patient_idx" ON "encounter_participants" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "encounters_starts_idx" ON "encounters" USING btree ("program_id","starts_at");--> statement-breakpoint
CREATE INDEX "encounters_staff_starts_idx" ON "encounters" USING btree ("program_id","staff_id","starts_at");--> statement-breakpoint
CREATE INDEX "encounters_series_idx" ON "encounters" USING btree ("program_id","series_id");--> statement-breakpoint
-- A visit's reschedules and cancellations are history: never changed or removed.
CREATE TRIGGER encounter_changes_append_only BEFORE UPDATE OR DELETE ON encounter_changes
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER encounter_changes_no_truncate BEFORE TRUNCATE ON encounter_changes
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
