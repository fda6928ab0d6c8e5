CREATE TABLE "check_in_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"day" date NOT NULL,
	"made_at" timestamp with time zone NOT NULL,
	"answers" jsonb NOT NULL,
	"source" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"recorded_by" uuid,
	"outcome" jsonb NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "check_ins_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "check_ins_source_check" CHECK (source in ('app', 'sms', 'voice', 'staff'))
);
--> statement-breakpoint
ALTER TABLE "safety_alerts" ALTER COLUMN "assessment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD COLUMN "source" text DEFAULT 'assessment' NOT NULL;--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD COLUMN "check_in_id" uuid;--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD COLUMN "text_es" text;--> statement-breakpoint
ALTER TABLE "check_in_settings" ADD CONSTRAINT "check_in_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_settings" ADD CONSTRAINT "check_in_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "check_ins_idempotency_key" ON "check_ins" USING btree ("program_id","patient_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "check_ins_patient_day_idx" ON "check_ins" USING btree ("program_id","patient_id","day");--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD CONSTRAINT "safety_alerts_check_in_fk" FOREIGN KEY ("program_id","check_in_id") REFERENCES "public"."check_ins"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "safety_alerts_check_in_idx" ON "safety_alerts" USING btree ("program_id","check_in_id");--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD CONSTRAINT "safety_alerts_source_check" CHECK ((source = 'assessment' and assessment_id is not null and check_in_id is null) or (source = 'check-in' and check_in_id is not null and assessment_id is null));--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD CONSTRAINT "safety_alerts_severity_check" CHECK (severity in ('urgent', 'warning', 'info'));