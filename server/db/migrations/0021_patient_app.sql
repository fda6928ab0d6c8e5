CREATE TABLE "patient_app_sessions" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "patient_app_sessions_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_devices" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"invite_id" uuid NOT NULL,
	"public_key" jsonb NOT NULL,
	"pin_hash" text NOT NULL,
	"label" text NOT NULL,
	"failed_unlocks" integer DEFAULT 0 NOT NULL,
	"last_failed_unlock_at" timestamp with time zone,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"last_unlocked_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	CONSTRAINT "patient_devices_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_invites" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "patient_invites_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_unlock_challenges" (
	"program_id" uuid NOT NULL,
	"device_id" uuid NOT NULL,
	"challenge_hash" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_unlock_challenges_program_id_device_id_challenge_hash_pk" PRIMARY KEY("program_id","device_id","challenge_hash")
);
--> statement-breakpoint
ALTER TABLE "programs" ADD COLUMN "patient_idle_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_app_sessions" ADD CONSTRAINT "patient_app_sessions_device_fk" FOREIGN KEY ("program_id","device_id") REFERENCES "public"."patient_devices"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD CONSTRAINT "patient_devices_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD CONSTRAINT "patient_devices_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_invites" ADD CONSTRAINT "patient_invites_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_invites" ADD CONSTRAINT "patient_invites_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_unlock_challenges" ADD CONSTRAINT "patient_unlock_challenges_device_fk" FOREIGN KEY ("program_id","device_id") REFERENCES "public"."patient_devices"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "patient_app_sessions_token_key" ON "patient_app_sessions" USING btree ("program_id","token_hash");--> statement-breakpoint
CREATE INDEX "patient_app_sessions_device_idx" ON "patient_app_sessions" USING btree ("program_id","device_id");--> statement-breakpoint
CREATE INDEX "patient_devices_patient_idx" ON "patient_devices" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "patient_invites_code_key" ON "patient_invites" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "patient_invites_patient_idx" ON "patient_invites" USING btree ("program_id","patient_id");--> statement-breakpoint
CREATE INDEX "patient_unlock_challenges_expires_idx" ON "patient_unlock_challenges" USING btree ("expires_at");