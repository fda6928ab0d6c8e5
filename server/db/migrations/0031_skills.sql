CREATE TABLE "skill_assignments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"module_key" text NOT NULL,
	"due_on" date,
	"care_plan_id" uuid,
	"intervention_id" text,
	"status" text NOT NULL,
	"assigned_by" uuid NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"cancelled_by" uuid,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "skill_assignments_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "skill_assignments_status_check" CHECK ("skill_assignments"."status" in ('open', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "skill_entries" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"module_key" text NOT NULL,
	"version" integer NOT NULL,
	"step_id" text NOT NULL,
	"homework" boolean NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "skill_entries_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "skill_modules" (
	"program_id" uuid NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"content" jsonb NOT NULL,
	"based_on" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"published_by" uuid,
	"published_at" timestamp with time zone,
	CONSTRAINT "skill_modules_program_id_key_version_pk" PRIMARY KEY("program_id","key","version"),
	CONSTRAINT "skill_modules_status_check" CHECK ("skill_modules"."status" in ('draft', 'published', 'retired'))
);
--> statement-breakpoint
CREATE TABLE "skill_progress" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"module_key" text NOT NULL,
	"version" integer NOT NULL,
	"screens" integer NOT NULL,
	"furthest_screen" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_active_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"assignment_id" uuid,
	"cm_event_id" uuid,
	CONSTRAINT "skill_progress_program_id_patient_id_module_key_pk" PRIMARY KEY("program_id","patient_id","module_key")
);
--> statement-breakpoint
CREATE TABLE "skill_reviews" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"comment" text,
	"reviewed_by" uuid NOT NULL,
	"reviewed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "skill_reviews_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "skill_assignments" ADD CONSTRAINT "skill_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_assignments" ADD CONSTRAINT "skill_assignments_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_assignments" ADD CONSTRAINT "skill_assignments_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_entries" ADD CONSTRAINT "skill_entries_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_modules" ADD CONSTRAINT "skill_modules_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_modules" ADD CONSTRAINT "skill_modules_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_progress" ADD CONSTRAINT "skill_progress_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_reviews" ADD CONSTRAINT "skill_reviews_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "skill_reviews" ADD CONSTRAINT "skill_reviews_entry_fk" FOREIGN KEY ("program_id","entry_id") REFERENCES "public"."skill_entries"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "skill_assignments_one_open" ON "skill_assignments" USING btree ("program_id","patient_id","module_key") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "skill_assignments_module_idx" ON "skill_assignments" USING btree ("program_id","module_key");--> statement-breakpoint
CREATE INDEX "skill_entries_patient_idx" ON "skill_entries" USING btree ("program_id","patient_id","entered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "skill_modules_one_draft" ON "skill_modules" USING btree ("program_id","key") WHERE status = 'draft';--> statement-breakpoint
CREATE INDEX "skill_progress_module_idx" ON "skill_progress" USING btree ("program_id","module_key");--> statement-breakpoint
CREATE INDEX "skill_reviews_entry_idx" ON "skill_reviews" USING btree ("program_id","entry_id");--> statement-breakpoint
CREATE INDEX "skill_reviews_patient_idx" ON "skill_reviews" USING btree ("program_id","patient_id");