CREATE TABLE "meeting_attendance" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"attended_on" text NOT NULL,
	"how" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"verified_at" timestamp with time zone,
	"cm_event_id" uuid,
	CONSTRAINT "meeting_attendance_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "meeting_attendance_how_check" CHECK ("meeting_attendance"."how" in ('self', 'verified'))
);
--> statement-breakpoint
CREATE TABLE "meeting_code_secrets" (
	"program_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_code_secrets_program_id_meeting_id_pk" PRIMARY KEY("program_id","meeting_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_friendliness" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"friendliness" text NOT NULL,
	"evidence" text NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	CONSTRAINT "meeting_friendliness_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "meeting_friendliness_value_check" CHECK ("meeting_friendliness"."friendliness" in ('welcoming', 'mixed', 'restrictive', 'unknown')),
	CONSTRAINT "meeting_friendliness_evidence_check" CHECK ("meeting_friendliness"."evidence" in ('stated-policy', 'staff-visit', 'patient-reports'))
);
--> statement-breakpoint
CREATE TABLE "meeting_sources" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"format" text NOT NULL,
	"url" text,
	"default_time_zone" text NOT NULL,
	"refresh_hours" integer DEFAULT 24 NOT NULL,
	"default_fellowship" text,
	"etag" text,
	"last_modified" text,
	"last_import_at" timestamp with time zone,
	"last_fetch_at" timestamp with time zone,
	"last_import_result" jsonb,
	"last_error" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_sources_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "meeting_sources_format_check" CHECK ("meeting_sources"."format" in ('meeting-guide', 'bmlt'))
);
--> statement-breakpoint
CREATE TABLE "meeting_welcome_reports" (
	"program_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"answer" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "meeting_welcome_reports_program_id_meeting_id_patient_id_pk" PRIMARY KEY("program_id","meeting_id","patient_id"),
	CONSTRAINT "meeting_welcome_reports_answer_check" CHECK ("meeting_welcome_reports"."answer" in ('yes', 'somewhat', 'no'))
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"source_id" uuid,
	"source_key" text,
	"fellowship" text NOT NULL,
	"name" text NOT NULL,
	"weekday" smallint NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text,
	"time_zone" text NOT NULL,
	"mode" text NOT NULL,
	"location_name" text,
	"address" text,
	"postal_code" text,
	"latitude" double precision,
	"longitude" double precision,
	"conference_url" text,
	"conference_phone" text,
	"languages" text[] NOT NULL,
	"types" text[] NOT NULL,
	"notes" text,
	"content_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"inactivated_at" timestamp with time zone,
	"updated_by" uuid,
	CONSTRAINT "meetings_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "meetings_weekday_check" CHECK ("meetings"."weekday" between 0 and 6),
	CONSTRAINT "meetings_mode_check" CHECK ("meetings"."mode" in ('in-person', 'online', 'hybrid')),
	CONSTRAINT "meetings_source_check" CHECK (("meetings"."source_id" is null) = ("meetings"."source_key" is null))
);
--> statement-breakpoint
CREATE TABLE "patient_meetings" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"added_at" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	CONSTRAINT "patient_meetings_program_id_patient_id_meeting_id_pk" PRIMARY KEY("program_id","patient_id","meeting_id")
);
--> statement-breakpoint
CREATE TABLE "peer_outreach_attempts" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"outcome" text NOT NULL,
	"note" text,
	"corrects" uuid,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "peer_outreach_attempts_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "peer_outreach_attempts_method_check" CHECK ("peer_outreach_attempts"."method" in ('phone', 'sms', 'in-person')),
	CONSTRAINT "peer_outreach_attempts_outcome_check" CHECK ("peer_outreach_attempts"."outcome" in ('reached', 'no-answer', 'voicemail', 'wrong-number', 'declined', 'not-safe-to-talk', 'other'))
);
--> statement-breakpoint
CREATE TABLE "peer_outreach_escalations" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"contact_index" integer NOT NULL,
	"reason" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"escalated_at" timestamp with time zone NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	CONSTRAINT "peer_outreach_escalations_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "peer_outreach_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"first_contact_hours" integer NOT NULL,
	"follow_up_days" integer[] NOT NULL,
	"follow_ups_from" text NOT NULL,
	"retry_hours" integer NOT NULL,
	"max_tries" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "peer_referral_outcomes" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_on" date NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "peer_referral_outcomes_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "peer_referral_outcomes_kind_check" CHECK ("peer_referral_outcomes"."kind" in ('moud-started', 'entered-treatment', 'naloxone-received', 'repeat-overdose'))
);
--> statement-breakpoint
CREATE TABLE "peer_referrals" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid,
	"contact_name" text NOT NULL,
	"contact_phone" text,
	"source" text NOT NULL,
	"referred_at" timestamp with time zone NOT NULL,
	"consent" boolean NOT NULL,
	"contact_method" text,
	"schedule" jsonb NOT NULL,
	"assigned_to" uuid,
	"assigned_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"closed_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "peer_referrals_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "peer_referrals_source_check" CHECK ("peer_referrals"."source" in ('emergency-department', 'hospital', 'outreach', 'self', 'other')),
	CONSTRAINT "peer_referrals_method_check" CHECK ("peer_referrals"."contact_method" is null or "peer_referrals"."contact_method" in ('phone', 'sms', 'in-person'))
);
--> statement-breakpoint
CREATE TABLE "naloxone_adjustments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"adjusted_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "naloxone_adjustments_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "naloxone_adjustments_delta_check" CHECK ("naloxone_adjustments"."delta" <> 0)
);
--> statement-breakpoint
CREATE TABLE "naloxone_kits" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"recipient_kind" text NOT NULL,
	"patient_id" uuid,
	"for_patient_id" uuid,
	"first_name" text,
	"note" text,
	"given_on" date NOT NULL,
	"given_by" uuid NOT NULL,
	"trained" boolean NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "naloxone_kits_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "naloxone_kits_kind_check" CHECK ("naloxone_kits"."recipient_kind" in ('patient', 'family', 'community')),
	CONSTRAINT "naloxone_kits_patient_check" CHECK (("naloxone_kits"."recipient_kind" = 'patient') = ("naloxone_kits"."patient_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "naloxone_lots" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"product" text NOT NULL,
	"lot_number" text NOT NULL,
	"expires_on" date NOT NULL,
	"quantity" integer NOT NULL,
	"received_on" date NOT NULL,
	"received_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "naloxone_lots_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "naloxone_lots_quantity_check" CHECK ("naloxone_lots"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "naloxone_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"reorder_level" integer NOT NULL,
	"expiry_warning_days" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "naloxone_trainings" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"recipient_kind" text NOT NULL,
	"patient_id" uuid,
	"first_name" text,
	"kit_id" uuid,
	"steps" jsonb NOT NULL,
	"trained_on" date NOT NULL,
	"trained_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "naloxone_trainings_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "naloxone_trainings_kind_check" CHECK ("naloxone_trainings"."recipient_kind" in ('patient', 'family', 'community')),
	CONSTRAINT "naloxone_trainings_patient_check" CHECK (("naloxone_trainings"."recipient_kind" = 'patient') = ("naloxone_trainings"."patient_id" is not null))
);
--> statement-breakpoint
ALTER TABLE "meeting_friendliness" ADD CONSTRAINT "meeting_friendliness_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_sources" ADD CONSTRAINT "meeting_sources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_outreach_attempts" ADD CONSTRAINT "peer_outreach_attempts_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_outreach_attempts" ADD CONSTRAINT "peer_outreach_attempts_referral_fk" FOREIGN KEY ("program_id","referral_id") REFERENCES "public"."peer_referrals"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_outreach_escalations" ADD CONSTRAINT "peer_outreach_escalations_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_outreach_escalations" ADD CONSTRAINT "peer_outreach_escalations_referral_fk" FOREIGN KEY ("program_id","referral_id") REFERENCES "public"."peer_referrals"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_outreach_settings" ADD CONSTRAINT "peer_outreach_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_referral_outcomes" ADD CONSTRAINT "peer_referral_outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_referral_outcomes" ADD CONSTRAINT "peer_referral_outcomes_referral_fk" FOREIGN KEY ("program_id","referral_id") REFERENCES "public"."peer_referrals"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_referrals" ADD CONSTRAINT "peer_referrals_assigned_to_users_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_referrals" ADD CONSTRAINT "peer_referrals_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_referrals" ADD CONSTRAINT "peer_referrals_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "peer_referrals" ADD CONSTRAINT "peer_referrals_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_adjustments" ADD CONSTRAINT "naloxone_adjustments_adjusted_by_users_id_fk" FOREIGN KEY ("adjusted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_adjustments" ADD CONSTRAINT "naloxone_adjustments_lot_fk" FOREIGN KEY ("program_id","lot_id") REFERENCES "public"."naloxone_lots"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_kits" ADD CONSTRAINT "naloxone_kits_given_by_users_id_fk" FOREIGN KEY ("given_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_kits" ADD CONSTRAINT "naloxone_kits_lot_fk" FOREIGN KEY ("program_id","lot_id") REFERENCES "public"."naloxone_lots"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_kits" ADD CONSTRAINT "naloxone_kits_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_lots" ADD CONSTRAINT "naloxone_lots_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_settings" ADD CONSTRAINT "naloxone_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_trainings" ADD CONSTRAINT "naloxone_trainings_trained_by_users_id_fk" FOREIGN KEY ("trained_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "naloxone_trainings" ADD CONSTRAINT "naloxone_trainings_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_attendance_day" ON "meeting_attendance" USING btree ("program_id","patient_id","meeting_id","attended_on");--> statement-breakpoint
CREATE INDEX "meeting_attendance_patient_idx" ON "meeting_attendance" USING btree ("program_id","patient_id","attended_on");--> statement-breakpoint
CREATE INDEX "meeting_friendliness_meeting" ON "meeting_friendliness" USING btree ("program_id","meeting_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_sources_name" ON "meeting_sources" USING btree ("program_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_source_key" ON "meetings" USING btree ("program_id","source_id","source_key");--> statement-breakpoint
CREATE INDEX "meetings_search_idx" ON "meetings" USING btree ("program_id","active","weekday");--> statement-breakpoint
CREATE INDEX "peer_outreach_attempts_referral" ON "peer_outreach_attempts" USING btree ("program_id","referral_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "peer_outreach_attempts_one_correction" ON "peer_outreach_attempts" USING btree ("program_id","corrects");--> statement-breakpoint
CREATE UNIQUE INDEX "peer_outreach_escalations_once" ON "peer_outreach_escalations" USING btree ("program_id","referral_id","contact_index");--> statement-breakpoint
CREATE INDEX "peer_outreach_escalations_open" ON "peer_outreach_escalations" USING btree ("program_id","escalated_at") WHERE acknowledged_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "peer_referral_outcomes_once" ON "peer_referral_outcomes" USING btree ("program_id","referral_id","kind","occurred_on");--> statement-breakpoint
CREATE INDEX "peer_referral_outcomes_kind" ON "peer_referral_outcomes" USING btree ("program_id","kind");--> statement-breakpoint
CREATE INDEX "peer_referrals_open" ON "peer_referrals" USING btree ("program_id","referred_at") WHERE closed_at is null;--> statement-breakpoint
CREATE INDEX "peer_referrals_patient" ON "peer_referrals" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "naloxone_adjustments_lot_idx" ON "naloxone_adjustments" USING btree ("program_id","lot_id");--> statement-breakpoint
CREATE INDEX "naloxone_kits_lot_idx" ON "naloxone_kits" USING btree ("program_id","lot_id");--> statement-breakpoint
CREATE INDEX "naloxone_kits_patient_idx" ON "naloxone_kits" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "naloxone_kits_given_idx" ON "naloxone_kits" USING btree ("program_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "naloxone_kits_idempotency" ON "naloxone_kits" USING btree ("program_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "naloxone_lots_expiry_idx" ON "naloxone_lots" USING btree ("program_id","expires_on");--> statement-breakpoint
CREATE INDEX "naloxone_trainings_patient_idx" ON "naloxone_trainings" USING btree ("program_id","patient_id");