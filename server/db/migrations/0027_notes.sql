CREATE TABLE "counselling_note_grants" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"granted_by" uuid NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"revoked_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "counselling_note_grants_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "counselling_note_grants_revoked_check" CHECK (("counselling_note_grants"."revoked_by" is null) = ("counselling_note_grants"."revoked_at" is null))
);
--> statement-breakpoint
CREATE TABLE "counselling_notes" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"body" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"author_id" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "counselling_notes_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "counselling_notes_status_check" CHECK ("counselling_notes"."status" in ('draft', 'signed')),
	CONSTRAINT "counselling_notes_signed_check" CHECK (("counselling_notes"."status" = 'draft') = ("counselling_notes"."signed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "progress_note_addenda" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	"text" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "progress_note_addenda_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "progress_note_cosignatures" (
	"program_id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	"cosigned_by" uuid NOT NULL,
	"cosigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "progress_note_cosignatures_program_id_note_id_pk" PRIMARY KEY("program_id","note_id")
);
--> statement-breakpoint
CREATE TABLE "progress_notes" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"patient_id" uuid,
	"template" text NOT NULL,
	"sections" jsonb NOT NULL,
	"goal_ids" uuid[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"author_id" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"cosigner_id" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "progress_notes_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "progress_notes_template_check" CHECK ("progress_notes"."template" in ('dap', 'soap', 'birp', 'group', 'group-member')),
	CONSTRAINT "progress_notes_status_check" CHECK ("progress_notes"."status" in ('draft', 'signed')),
	CONSTRAINT "progress_notes_signed_check" CHECK (("progress_notes"."status" = 'draft') = ("progress_notes"."signed_at" is null)),
	CONSTRAINT "progress_notes_shared_part_check" CHECK (("progress_notes"."template" = 'group') = ("progress_notes"."patient_id" is null))
);
--> statement-breakpoint
ALTER TABLE "counselling_note_grants" ADD CONSTRAINT "counselling_note_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_note_grants" ADD CONSTRAINT "counselling_note_grants_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_note_grants" ADD CONSTRAINT "counselling_note_grants_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_note_grants" ADD CONSTRAINT "counselling_note_grants_note_fk" FOREIGN KEY ("program_id","note_id") REFERENCES "public"."counselling_notes"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_notes" ADD CONSTRAINT "counselling_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_notes" ADD CONSTRAINT "counselling_notes_encounter_fk" FOREIGN KEY ("program_id","encounter_id") REFERENCES "public"."encounters"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "counselling_notes" ADD CONSTRAINT "counselling_notes_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_note_addenda" ADD CONSTRAINT "progress_note_addenda_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_note_addenda" ADD CONSTRAINT "progress_note_addenda_note_fk" FOREIGN KEY ("program_id","note_id") REFERENCES "public"."progress_notes"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_note_cosignatures" ADD CONSTRAINT "progress_note_cosignatures_cosigned_by_users_id_fk" FOREIGN KEY ("cosigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_note_cosignatures" ADD CONSTRAINT "progress_note_cosignatures_note_fk" FOREIGN KEY ("program_id","note_id") REFERENCES "public"."progress_notes"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_notes" ADD CONSTRAINT "progress_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_notes" ADD CONSTRAINT "progress_notes_cosigner_id_users_id_fk" FOREIGN KEY ("cosigner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_notes" ADD CONSTRAINT "progress_notes_encounter_fk" FOREIGN KEY ("program_id","encounter_id") REFERENCES "public"."encounters"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "progress_notes" ADD CONSTRAINT "progress_notes_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "counselling_note_grants_note_idx" ON "counselling_note_grants" USING btree ("program_id","note_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "counselling_note_grants_open_idx" ON "counselling_note_grants" USING btree ("program_id","note_id","user_id") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "counselling_notes_encounter_idx" ON "counselling_notes" USING btree ("program_id","encounter_id");--> statement-breakpoint
CREATE INDEX "progress_note_addenda_note_idx" ON "progress_note_addenda" USING btree ("program_id","note_id");--> statement-breakpoint
CREATE INDEX "progress_notes_encounter_idx" ON "progress_notes" USING btree ("program_id","encounter_id");--> statement-breakpoint
CREATE INDEX "progress_notes_patient_idx" ON "progress_notes" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "progress_notes_cosigner_idx" ON "progress_notes" USING btree ("program_id","cosigner_id");--> statement-breakpoint
-- A signed note is locked: its signed content is never changed or removed (addenda only).
CREATE TRIGGER progress_notes_signed_locked BEFORE UPDATE OR DELETE ON progress_notes
  FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER progress_notes_no_truncate BEFORE TRUNCATE ON progress_notes
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER counselling_notes_signed_locked BEFORE UPDATE OR DELETE ON counselling_notes
  FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER counselling_notes_no_truncate BEFORE TRUNCATE ON counselling_notes
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
-- Co-signatures and addenda are history: never changed or removed.
CREATE TRIGGER progress_note_cosignatures_append_only BEFORE UPDATE OR DELETE ON progress_note_cosignatures
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER progress_note_cosignatures_no_truncate BEFORE TRUNCATE ON progress_note_cosignatures
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER progress_note_addenda_append_only BEFORE UPDATE OR DELETE ON progress_note_addenda
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER progress_note_addenda_no_truncate BEFORE TRUNCATE ON progress_note_addenda
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
-- A grant is never removed: revoking it records who and when (only those two columns may change, once).
CREATE FUNCTION waypoint_grant_revoke_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.revoked_at IS NOT NULL
     OR (NEW.program_id, NEW.id, NEW.note_id, NEW.user_id, NEW.granted_by, NEW.granted_at) IS DISTINCT FROM (OLD.program_id, OLD.id, OLD.note_id, OLD.user_id, OLD.granted_by, OLD.granted_at) THEN
    RAISE EXCEPTION 'grants are append-only (revoke once): % on % is refused', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER counselling_note_grants_revoke_only BEFORE UPDATE OR DELETE ON counselling_note_grants
  FOR EACH ROW EXECUTE FUNCTION waypoint_grant_revoke_only();
--> statement-breakpoint
CREATE TRIGGER counselling_note_grants_no_truncate BEFORE TRUNCATE ON counselling_note_grants
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
