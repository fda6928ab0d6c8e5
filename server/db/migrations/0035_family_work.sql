CREATE TABLE "craft_courses" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"family_member_id" uuid NOT NULL,
	"loved_one" text NOT NULL,
	"counsellor_id" uuid NOT NULL,
	"started_on" date NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "craft_courses_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "craft_outcomes" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"entered_treatment" boolean NOT NULL,
	"entered_on" date,
	"setting" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "craft_outcomes_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "craft_outcomes_entered_check" CHECK ("craft_outcomes"."entered_treatment" = ("craft_outcomes"."entered_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "craft_sessions" (
	"program_id" uuid NOT NULL,
	"course_id" uuid NOT NULL,
	"number" smallint NOT NULL,
	"topic" text NOT NULL,
	"scheduled_on" date NOT NULL,
	"status" text NOT NULL,
	"held_on" date,
	"note" text,
	"homework_done_at" timestamp with time zone,
	"homework_response" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "craft_sessions_program_id_course_id_number_pk" PRIMARY KEY("program_id","course_id","number"),
	CONSTRAINT "craft_sessions_number_check" CHECK ("craft_sessions"."number" between 1 and 12),
	CONSTRAINT "craft_sessions_status_check" CHECK ("craft_sessions"."status" in ('scheduled', 'held', 'missed')),
	CONSTRAINT "craft_sessions_held_check" CHECK (("craft_sessions"."status" = 'held') = ("craft_sessions"."held_on" is not null))
);
--> statement-breakpoint
CREATE TABLE "family_assessments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"family_member_id" uuid NOT NULL,
	"instrument" text NOT NULL,
	"answers" jsonb NOT NULL,
	"score" smallint NOT NULL,
	"severity" text NOT NULL,
	"source" text NOT NULL,
	"entered_by" uuid,
	"completed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "family_assessments_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "family_assessments_source_check" CHECK ("family_assessments"."source" in ('app', 'staff') and ("family_assessments"."source" = 'staff') = ("family_assessments"."entered_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "family_lessons" (
	"program_id" uuid NOT NULL,
	"family_member_id" uuid NOT NULL,
	"lesson" text NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	CONSTRAINT "family_lessons_program_id_family_member_id_lesson_pk" PRIMARY KEY("program_id","family_member_id","lesson")
);
--> statement-breakpoint
CREATE TABLE "network_meetings" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"attendees" jsonb NOT NULL,
	"note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "network_meetings_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "network_members" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"family_member_id" uuid,
	"display_name" text NOT NULL,
	"relationship" text NOT NULL,
	"role" text,
	"joined_on" date NOT NULL,
	"left_on" date,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "network_members_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "recovery_contracts" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"family_member_id" uuid NOT NULL,
	"terms" jsonb NOT NULL,
	"own_terms" text,
	"starts_on" date NOT NULL,
	"ended_at" timestamp with time zone,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "recovery_contracts_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "trust_discussions" (
	"program_id" uuid NOT NULL,
	"contract_id" uuid NOT NULL,
	"day" date NOT NULL,
	"held" boolean NOT NULL,
	"medication_witnessed" boolean,
	"recorded_by_kind" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "trust_discussions_program_id_contract_id_day_pk" PRIMARY KEY("program_id","contract_id","day"),
	CONSTRAINT "trust_discussions_kind_check" CHECK ("trust_discussions"."recorded_by_kind" in ('patient', 'partner', 'staff') and ("trust_discussions"."recorded_by_kind" = 'staff') = ("trust_discussions"."recorded_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "witnessed_doses" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"network_member_id" uuid NOT NULL,
	"day" date NOT NULL,
	"taken" boolean NOT NULL,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "witnessed_doses_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "witnessed_doses_source_check" CHECK ("witnessed_doses"."source" in ('app', 'staff') and ("witnessed_doses"."source" = 'staff') = ("witnessed_doses"."recorded_by" is not null))
);
--> statement-breakpoint
ALTER TABLE "naloxone_kits" ADD COLUMN "family_member_id" uuid;--> statement-breakpoint
ALTER TABLE "naloxone_trainings" ADD COLUMN "family_member_id" uuid;--> statement-breakpoint
ALTER TABLE "craft_courses" ADD CONSTRAINT "craft_courses_counsellor_id_users_id_fk" FOREIGN KEY ("counsellor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "craft_courses" ADD CONSTRAINT "craft_courses_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "craft_courses" ADD CONSTRAINT "craft_courses_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "craft_outcomes" ADD CONSTRAINT "craft_outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "craft_outcomes" ADD CONSTRAINT "craft_outcomes_course_fk" FOREIGN KEY ("program_id","course_id") REFERENCES "public"."craft_courses"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "craft_sessions" ADD CONSTRAINT "craft_sessions_course_fk" FOREIGN KEY ("program_id","course_id") REFERENCES "public"."craft_courses"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_assessments" ADD CONSTRAINT "family_assessments_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_assessments" ADD CONSTRAINT "family_assessments_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_lessons" ADD CONSTRAINT "family_lessons_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_meetings" ADD CONSTRAINT "network_meetings_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_meetings" ADD CONSTRAINT "network_meetings_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_members" ADD CONSTRAINT "network_members_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_members" ADD CONSTRAINT "network_members_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "network_members" ADD CONSTRAINT "network_members_family_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_contracts" ADD CONSTRAINT "recovery_contracts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_contracts" ADD CONSTRAINT "recovery_contracts_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recovery_contracts" ADD CONSTRAINT "recovery_contracts_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_discussions" ADD CONSTRAINT "trust_discussions_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trust_discussions" ADD CONSTRAINT "trust_discussions_contract_fk" FOREIGN KEY ("program_id","contract_id") REFERENCES "public"."recovery_contracts"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "witnessed_doses" ADD CONSTRAINT "witnessed_doses_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "witnessed_doses" ADD CONSTRAINT "witnessed_doses_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "witnessed_doses" ADD CONSTRAINT "witnessed_doses_member_fk" FOREIGN KEY ("program_id","network_member_id") REFERENCES "public"."network_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "craft_courses_member_idx" ON "craft_courses" USING btree ("program_id","family_member_id");--> statement-breakpoint
CREATE INDEX "craft_courses_counsellor_idx" ON "craft_courses" USING btree ("program_id","counsellor_id");--> statement-breakpoint
CREATE INDEX "craft_outcomes_course_idx" ON "craft_outcomes" USING btree ("program_id","course_id","recorded_at");--> statement-breakpoint
CREATE INDEX "family_assessments_member_idx" ON "family_assessments" USING btree ("program_id","family_member_id","completed_at");--> statement-breakpoint
CREATE INDEX "network_meetings_patient_idx" ON "network_meetings" USING btree ("program_id","patient_id","held_on");--> statement-breakpoint
CREATE INDEX "network_members_patient_idx" ON "network_members" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "network_members_family_member_idx" ON "network_members" USING btree ("program_id","family_member_id");--> statement-breakpoint
CREATE INDEX "recovery_contracts_patient_idx" ON "recovery_contracts" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "recovery_contracts_member_idx" ON "recovery_contracts" USING btree ("program_id","family_member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "recovery_contracts_one_open" ON "recovery_contracts" USING btree ("program_id","patient_id") WHERE "recovery_contracts"."ended_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "witnessed_doses_member_day" ON "witnessed_doses" USING btree ("program_id","network_member_id","day");--> statement-breakpoint
CREATE INDEX "witnessed_doses_patient_idx" ON "witnessed_doses" USING btree ("program_id","patient_id","day");--> statement-breakpoint
ALTER TABLE "naloxone_kits" ADD CONSTRAINT "naloxone_kits_family_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_trainings" ADD CONSTRAINT "naloxone_trainings_family_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "naloxone_kits_family_member_idx" ON "naloxone_kits" USING btree ("program_id","family_member_id");--> statement-breakpoint
CREATE INDEX "naloxone_trainings_family_member_idx" ON "naloxone_trainings" USING btree ("program_id","family_member_id");--> statement-breakpoint
ALTER TABLE "naloxone_kits" ADD CONSTRAINT "naloxone_kits_family_member_check" CHECK ("naloxone_kits"."family_member_id" is null or "naloxone_kits"."recipient_kind" = 'family');--> statement-breakpoint
ALTER TABLE "naloxone_trainings" ADD CONSTRAINT "naloxone_trainings_family_member_check" CHECK ("naloxone_trainings"."family_member_id" is null or "naloxone_trainings"."recipient_kind" = 'family');