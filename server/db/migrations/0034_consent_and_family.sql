CREATE TABLE "consents" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"template" text NOT NULL,
	"template_version" text NOT NULL,
	"language" text NOT NULL,
	"discloser" text NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient_name" text,
	"family_member_id" uuid,
	"purposes" jsonb NOT NULL,
	"data_classes" jsonb NOT NULL,
	"data_description" text NOT NULL,
	"expiry_kind" text NOT NULL,
	"expires_on" date,
	"expiry_condition" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"supersedes_id" uuid,
	"signed_at" timestamp with time zone,
	"signature_method" text,
	"signer_name" text,
	"signer_role" text,
	"scan" "bytea",
	"scan_type" text,
	"revoked_at" timestamp with time zone,
	"revoked_via" text,
	"revoked_by" uuid,
	"revocation_note" text,
	"ended_at" timestamp with time zone,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "consents_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "consents_recipient_check" CHECK (("consents"."recipient_kind" = 'family-member') = ("consents"."family_member_id" is not null)),
	CONSTRAINT "consents_signed_check" CHECK (("consents"."signed_at" is null) = ("consents"."signature_method" is null) and ("consents"."signed_at" is null) = ("consents"."signer_name" is null)),
	CONSTRAINT "consents_expiry_check" CHECK (("consents"."expiry_kind" = 'date') = ("consents"."expires_on" is not null) and ("consents"."expiry_kind" = 'condition') = ("consents"."expiry_condition" is not null))
);
--> statement-breakpoint
CREATE TABLE "disclosures" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"recipient_kind" text NOT NULL,
	"recipient_name" text NOT NULL,
	"family_member_id" uuid,
	"purpose" text,
	"data_classes" jsonb NOT NULL,
	"consent_id" uuid,
	"exception" text,
	"reason" text,
	"actor_id" uuid,
	"actor_kind" text NOT NULL,
	CONSTRAINT "disclosures_program_id_id_pk" PRIMARY KEY("program_id","id"),
	CONSTRAINT "disclosures_basis_check" CHECK (("disclosures"."consent_id" is null) <> ("disclosures"."exception" is null))
);
--> statement-breakpoint
CREATE TABLE "family_links" (
	"program_id" uuid NOT NULL,
	"family_member_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"relationship" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "family_links_program_id_family_member_id_patient_id_pk" PRIMARY KEY("program_id","family_member_id","patient_id")
);
--> statement-breakpoint
CREATE TABLE "family_members" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"display_name" text NOT NULL,
	"phone" text,
	"language" text DEFAULT 'en' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "family_members_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_notices" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"version" text NOT NULL,
	"language" text NOT NULL,
	"method" text NOT NULL,
	"acknowledged_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	CONSTRAINT "patient_notices_program_id_patient_id_version_pk" PRIMARY KEY("program_id","patient_id","version")
);
--> statement-breakpoint
ALTER TABLE "patient_sessions" ALTER COLUMN "instrument" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_app_sessions" ALTER COLUMN "patient_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_devices" ALTER COLUMN "patient_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_invites" ALTER COLUMN "patient_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "integration_tokens" ADD COLUMN "recipient_organization" text;--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD COLUMN "consent_id" uuid;--> statement-breakpoint
ALTER TABLE "patient_app_sessions" ADD COLUMN "family_member_id" uuid;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "family_member_id" uuid;--> statement-breakpoint
ALTER TABLE "patient_invites" ADD COLUMN "family_member_id" uuid;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consents" ADD CONSTRAINT "consents_family_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosures" ADD CONSTRAINT "disclosures_consent_fk" FOREIGN KEY ("program_id","consent_id") REFERENCES "public"."consents"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_links" ADD CONSTRAINT "family_links_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_links" ADD CONSTRAINT "family_links_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_members" ADD CONSTRAINT "family_members_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_notices" ADD CONSTRAINT "patient_notices_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_notices" ADD CONSTRAINT "patient_notices_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_patient_idx" ON "consents" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "consents_family_member_idx" ON "consents" USING btree ("program_id","family_member_id");--> statement-breakpoint
CREATE INDEX "disclosures_patient_idx" ON "disclosures" USING btree ("program_id","patient_id","at");--> statement-breakpoint
CREATE INDEX "family_links_patient_idx" ON "family_links" USING btree ("program_id","patient_id");--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD CONSTRAINT "patient_sessions_consent_fk" FOREIGN KEY ("program_id","consent_id") REFERENCES "public"."consents"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD CONSTRAINT "patient_devices_family_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_invites" ADD CONSTRAINT "patient_invites_family_member_fk" FOREIGN KEY ("program_id","family_member_id") REFERENCES "public"."family_members"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_devices_family_member_idx" ON "patient_devices" USING btree ("program_id","family_member_id");--> statement-breakpoint
CREATE INDEX "patient_invites_family_member_idx" ON "patient_invites" USING btree ("program_id","family_member_id");--> statement-breakpoint
ALTER TABLE "patient_sessions" ADD CONSTRAINT "patient_sessions_form_check" CHECK (("patient_sessions"."instrument" is null) <> ("patient_sessions"."consent_id" is null));--> statement-breakpoint
ALTER TABLE "patient_app_sessions" ADD CONSTRAINT "patient_app_sessions_holder_check" CHECK (("patient_app_sessions"."patient_id" is null) <> ("patient_app_sessions"."family_member_id" is null));--> statement-breakpoint
ALTER TABLE "patient_devices" ADD CONSTRAINT "patient_devices_holder_check" CHECK (("patient_devices"."patient_id" is null) <> ("patient_devices"."family_member_id" is null));--> statement-breakpoint
ALTER TABLE "patient_invites" ADD CONSTRAINT "patient_invites_holder_check" CHECK (("patient_invites"."patient_id" is null) <> ("patient_invites"."family_member_id" is null));