CREATE TABLE "patient_passkey_registrations" (
	"program_id" uuid NOT NULL,
	"invite_id" uuid NOT NULL,
	"challenge_hash" text NOT NULL,
	"user_handle" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_passkey_registrations_program_id_invite_id_challenge_hash_pk" PRIMARY KEY("program_id","invite_id","challenge_hash")
);
--> statement-breakpoint
ALTER TABLE "patient_devices" ALTER COLUMN "public_key" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_devices" ALTER COLUMN "pin_hash" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "kind" text DEFAULT 'pin' NOT NULL;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "credential_id" text;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "credential_public_key" text;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "sign_count" bigint;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "transports" jsonb;--> statement-breakpoint
ALTER TABLE "patient_devices" ADD COLUMN "user_handle" text;--> statement-breakpoint
ALTER TABLE "patient_passkey_registrations" ADD CONSTRAINT "patient_passkey_registrations_invite_fk" FOREIGN KEY ("program_id","invite_id") REFERENCES "public"."patient_invites"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "patient_passkey_registrations_expires_idx" ON "patient_passkey_registrations" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "patient_devices_credential_key" ON "patient_devices" USING btree ("program_id","credential_id");--> statement-breakpoint
ALTER TABLE "patient_devices" ADD CONSTRAINT "patient_devices_kind_check" CHECK (("patient_devices"."kind" = 'pin' and "patient_devices"."public_key" is not null and "patient_devices"."pin_hash" is not null) or ("patient_devices"."kind" = 'passkey' and "patient_devices"."credential_id" is not null and "patient_devices"."credential_public_key" is not null and "patient_devices"."sign_count" is not null and "patient_devices"."user_handle" is not null));