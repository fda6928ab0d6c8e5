CREATE TABLE "cm_catalogue_items" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"value_cents" integer NOT NULL,
	"cash_equivalent" boolean DEFAULT false NOT NULL,
	"prize_tier" text,
	"stock" integer DEFAULT 0 NOT NULL,
	"reorder_level" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_catalogue_items_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_draw_reveals" (
	"program_id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"n" integer NOT NULL,
	"revealed_by" uuid,
	"revealed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_draw_reveals_program_id_enrolment_id_n_pk" PRIMARY KEY("program_id","enrolment_id","n")
);
--> statement-breakpoint
CREATE TABLE "cm_enrolments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"protocol_id" uuid NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"calendar" jsonb NOT NULL,
	"funding_source_id" text,
	"caps" jsonb,
	"status" text NOT NULL,
	"status_reason" text,
	"status_changed_at" timestamp with time zone,
	"enrolled_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	"closed_through" date,
	"state" jsonb,
	CONSTRAINT "cm_enrolments_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_events" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"position" integer NOT NULL,
	"slot_kind" text,
	"slot_date" date,
	"ref_id" uuid,
	"engine" jsonb NOT NULL,
	"detail" jsonb,
	"external_id" text,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_events_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_funding_sources" (
	"program_id" uuid NOT NULL,
	"id" text NOT NULL,
	"name" text NOT NULL,
	"caps_preset" text,
	"caps" jsonb NOT NULL,
	"budget_cents" integer,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_funding_sources_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_ledger_entries" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "cm_ledger_entries_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"enrolment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"entry_key" text NOT NULL,
	"kind" text NOT NULL,
	"event_id" uuid,
	"track" text,
	"month" text,
	"cents" integer NOT NULL,
	"n" integer,
	"tier" text,
	"capped" text,
	"voids_key" text,
	"seed_id" uuid,
	"funding_source_id" text,
	"redemption_id" uuid,
	"reason" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_ledger_entries_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_privilege_decisions" (
	"program_id" uuid NOT NULL,
	"recommendation_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"reason" text NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_privilege_decisions_program_id_recommendation_id_pk" PRIMARY KEY("program_id","recommendation_id")
);
--> statement-breakpoint
CREATE TABLE "cm_privilege_recommendations" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"track" text NOT NULL,
	"event_id" uuid NOT NULL,
	"level" text NOT NULL,
	"level_index" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_privilege_recommendations_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_protocols" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"key" text NOT NULL,
	"version" text NOT NULL,
	"name" text NOT NULL,
	"document" jsonb NOT NULL,
	"preset" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_protocols_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_redemption_outcomes" (
	"program_id" uuid NOT NULL,
	"redemption_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"reason" text,
	CONSTRAINT "cm_redemption_outcomes_program_id_redemption_id_pk" PRIMARY KEY("program_id","redemption_id")
);
--> statement-breakpoint
CREATE TABLE "cm_redemptions" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"cents" integer NOT NULL,
	"kind" text NOT NULL,
	"prize_entry_id" uuid,
	"acknowledgement" jsonb NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"needs_approval" boolean NOT NULL,
	CONSTRAINT "cm_redemptions_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_seeds" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"seed_hex" text NOT NULL,
	"commitment" text NOT NULL,
	"active_from" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	"revealed_at" timestamp with time zone,
	CONSTRAINT "cm_seeds_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "cm_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"approval_threshold_cents" integer DEFAULT 5000 NOT NULL,
	"budget_cents" integer,
	"seed_rotation_days" integer DEFAULT 90 NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cm_stock_movements" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"redemption_id" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_stock_movements_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "integration_tokens" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "integration_tokens_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"instrument" text NOT NULL,
	"questionnaire_version" text NOT NULL,
	"answers" jsonb NOT NULL,
	"target_behavior" text,
	"complete" boolean NOT NULL,
	"missing" jsonb NOT NULL,
	"scores" jsonb NOT NULL,
	"band" jsonb,
	"stage" jsonb,
	"alerts" jsonb NOT NULL,
	"mode" text NOT NULL,
	"administered_by" uuid NOT NULL,
	"patient_session_id" uuid,
	"administered_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "assessments_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_sessions" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"instrument" text NOT NULL,
	"target_behavior" text,
	"token_hash" text NOT NULL,
	"started_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"assessment_id" uuid,
	CONSTRAINT "patient_sessions_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "safety_alerts" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"code" text NOT NULL,
	"severity" text NOT NULL,
	"text" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledgement_note" text,
	CONSTRAINT "safety_alerts_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "score_observations" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"score_name" text,
	"code_system" text NOT NULL,
	"code" text NOT NULL,
	"display" text NOT NULL,
	"value" double precision,
	"band" jsonb,
	"members" jsonb,
	"complete" boolean NOT NULL,
	"effective_at" timestamp with time zone NOT NULL,
	CONSTRAINT "score_observations_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "stage_assessments" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"source" text NOT NULL,
	"method" text,
	"informed_by" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"assessment_id" uuid,
	"overrides_id" uuid,
	"reason" text,
	"note" text,
	"assessed_by" uuid NOT NULL,
	"assessed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "stage_assessments_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "care_plan_agreements" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"patient_id" uuid NOT NULL,
	"agreed_by" text NOT NULL,
	"representative_name" text,
	"method" text NOT NULL,
	"agreed_at" timestamp with time zone NOT NULL,
	"note" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "care_plan_agreements_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "care_plan_goals" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"plan_version" integer NOT NULL,
	"goal" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "care_plan_goals_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "care_plan_versions" (
	"program_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"content" jsonb NOT NULL,
	"changes" jsonb NOT NULL,
	"note" text,
	"changed_by" uuid NOT NULL,
	"changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "care_plan_versions_program_id_plan_id_version_pk" PRIMARY KEY("program_id","plan_id","version")
);
--> statement-breakpoint
CREATE TABLE "care_plans" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"current_version" integer NOT NULL,
	"review_date" date NOT NULL,
	"responsible_staff_ids" uuid[] NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "care_plans_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "cm_catalogue_items" ADD CONSTRAINT "cm_catalogue_items_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_draw_reveals" ADD CONSTRAINT "cm_draw_reveals_revealed_by_users_id_fk" FOREIGN KEY ("revealed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_enrolments" ADD CONSTRAINT "cm_enrolments_enrolled_by_users_id_fk" FOREIGN KEY ("enrolled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_enrolments" ADD CONSTRAINT "cm_enrolments_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_enrolments" ADD CONSTRAINT "cm_enrolments_protocol_fk" FOREIGN KEY ("program_id","protocol_id") REFERENCES "public"."cm_protocols"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_events" ADD CONSTRAINT "cm_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_events" ADD CONSTRAINT "cm_events_enrolment_fk" FOREIGN KEY ("program_id","enrolment_id") REFERENCES "public"."cm_enrolments"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_funding_sources" ADD CONSTRAINT "cm_funding_sources_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_ledger_entries" ADD CONSTRAINT "cm_ledger_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_ledger_entries" ADD CONSTRAINT "cm_ledger_enrolment_fk" FOREIGN KEY ("program_id","enrolment_id") REFERENCES "public"."cm_enrolments"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_privilege_decisions" ADD CONSTRAINT "cm_privilege_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_protocols" ADD CONSTRAINT "cm_protocols_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_protocols" ADD CONSTRAINT "cm_protocols_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_redemption_outcomes" ADD CONSTRAINT "cm_redemption_outcomes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_redemptions" ADD CONSTRAINT "cm_redemptions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_redemptions" ADD CONSTRAINT "cm_redemptions_item_fk" FOREIGN KEY ("program_id","item_id") REFERENCES "public"."cm_catalogue_items"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_seeds" ADD CONSTRAINT "cm_seeds_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_settings" ADD CONSTRAINT "cm_settings_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_stock_movements" ADD CONSTRAINT "cm_stock_movements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_stock_movements" ADD CONSTRAINT "cm_stock_item_fk" FOREIGN KEY ("program_id","item_id") REFERENCES "public"."cm_catalogue_items"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_tokens" ADD CONSTRAINT "integration_tokens_program_id_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_tokens" ADD CONSTRAINT "integration_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_tokens" ADD CONSTRAINT "integration_tokens_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_administered_by_users_id_fk" FOREIGN KEY ("administered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD CONSTRAINT "patient_sessions_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD CONSTRAINT "patient_sessions_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD CONSTRAINT "safety_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "safety_alerts" ADD CONSTRAINT "safety_alerts_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_observations" ADD CONSTRAINT "score_observations_assessment_fk" FOREIGN KEY ("program_id","assessment_id") REFERENCES "public"."assessments"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_assessments" ADD CONSTRAINT "stage_assessments_assessed_by_users_id_fk" FOREIGN KEY ("assessed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stage_assessments" ADD CONSTRAINT "stage_assessments_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan_agreements" ADD CONSTRAINT "care_plan_agreements_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan_agreements" ADD CONSTRAINT "care_plan_agreements_version_fk" FOREIGN KEY ("program_id","plan_id","version") REFERENCES "public"."care_plan_versions"("program_id","plan_id","version") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan_goals" ADD CONSTRAINT "care_plan_goals_plan_fk" FOREIGN KEY ("program_id","plan_id") REFERENCES "public"."care_plans"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan_versions" ADD CONSTRAINT "care_plan_versions_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan_versions" ADD CONSTRAINT "care_plan_versions_plan_fk" FOREIGN KEY ("program_id","plan_id") REFERENCES "public"."care_plans"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plans" ADD CONSTRAINT "care_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plans" ADD CONSTRAINT "care_plans_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cm_enrolments_one_active" ON "cm_enrolments" USING btree ("program_id","patient_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "cm_enrolments_patient_idx" ON "cm_enrolments" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "cm_enrolments_status_idx" ON "cm_enrolments" USING btree ("program_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_events_position_key" ON "cm_events" USING btree ("program_id","enrolment_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_events_slot_key" ON "cm_events" USING btree ("program_id","enrolment_id","slot_kind","slot_date") WHERE slot_date is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cm_events_external_key" ON "cm_events" USING btree ("program_id","external_id") WHERE external_id is not null and kind = 'specimen';--> statement-breakpoint
CREATE INDEX "cm_events_ref_idx" ON "cm_events" USING btree ("program_id","ref_id");--> statement-breakpoint
CREATE INDEX "cm_events_patient_idx" ON "cm_events" USING btree ("program_id","patient_id","at");--> statement-breakpoint
CREATE INDEX "cm_events_kind_at_idx" ON "cm_events" USING btree ("program_id","kind","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_ledger_entry_key" ON "cm_ledger_entries" USING btree ("program_id","enrolment_id","entry_key");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_ledger_draw_key" ON "cm_ledger_entries" USING btree ("program_id","enrolment_id","n") WHERE kind = 'prize';--> statement-breakpoint
CREATE INDEX "cm_ledger_patient_idx" ON "cm_ledger_entries" USING btree ("program_id","patient_id","seq");--> statement-breakpoint
CREATE INDEX "cm_ledger_event_idx" ON "cm_ledger_entries" USING btree ("program_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_privilege_rec_key" ON "cm_privilege_recommendations" USING btree ("program_id","enrolment_id","track","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_protocols_version_key" ON "cm_protocols" USING btree ("program_id","key","version");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_redemptions_prize_key" ON "cm_redemptions" USING btree ("program_id","prize_entry_id") WHERE prize_entry_id is not null;--> statement-breakpoint
CREATE INDEX "cm_redemptions_patient_idx" ON "cm_redemptions" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_seeds_commitment_key" ON "cm_seeds" USING btree ("commitment");--> statement-breakpoint
CREATE UNIQUE INDEX "cm_seeds_one_active" ON "cm_seeds" USING btree ("program_id") WHERE retired_at is null;--> statement-breakpoint
CREATE INDEX "cm_stock_item_idx" ON "cm_stock_movements" USING btree ("program_id","item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "integration_tokens_hash_key" ON "integration_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "assessments_patient_idx" ON "assessments" USING btree ("program_id","patient_id","administered_at");--> statement-breakpoint
CREATE UNIQUE INDEX "patient_sessions_token_key" ON "patient_sessions" USING btree ("program_id","token_hash");--> statement-breakpoint
CREATE INDEX "safety_alerts_open_idx" ON "safety_alerts" USING btree ("program_id","raised_at") WHERE acknowledged_at is null;--> statement-breakpoint
CREATE INDEX "safety_alerts_patient_idx" ON "safety_alerts" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "score_observations_patient_idx" ON "score_observations" USING btree ("program_id","patient_id","effective_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "score_observations_code_idx" ON "score_observations" USING btree ("program_id","patient_id","code");--> statement-breakpoint
CREATE INDEX "stage_assessments_patient_idx" ON "stage_assessments" USING btree ("program_id","patient_id","assessed_at");--> statement-breakpoint
CREATE INDEX "care_plan_agreements_plan_idx" ON "care_plan_agreements" USING btree ("program_id","plan_id");--> statement-breakpoint
CREATE INDEX "care_plan_goals_patient_idx" ON "care_plan_goals" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "care_plans_patient_idx" ON "care_plans" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "care_plans_review_idx" ON "care_plans" USING btree ("program_id","review_date");