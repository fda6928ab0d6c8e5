CREATE TABLE "outbox_message_params" (
	"program_id" uuid NOT NULL,
	"message_id" uuid NOT NULL,
	"params" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "outbox_message_params_program_id_message_id_pk" PRIMARY KEY("program_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "phone_line_settings" (
	"program_id" uuid PRIMARY KEY NOT NULL,
	"clinic_number" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voice_call_steps" (
	"call_sid" text NOT NULL,
	"seq" integer NOT NULL,
	"twiml" text NOT NULL,
	CONSTRAINT "voice_call_steps_call_sid_seq_pk" PRIMARY KEY("call_sid","seq")
);
--> statement-breakpoint
CREATE TABLE "voice_calls" (
	"call_sid" text PRIMARY KEY NOT NULL,
	"program_id" uuid,
	"patient_id" uuid,
	"language" text NOT NULL,
	"state" jsonb NOT NULL,
	"seq" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "contact_preferences" ADD COLUMN "check_in_reminder_at" text;--> statement-breakpoint
ALTER TABLE "push_subscriptions" ADD COLUMN "device_id" uuid;--> statement-breakpoint
ALTER TABLE "outbox_message_params" ADD CONSTRAINT "outbox_message_params_message_fk" FOREIGN KEY ("program_id","message_id") REFERENCES "public"."outbox_messages"("program_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voice_call_steps" ADD CONSTRAINT "voice_call_steps_call_sid_voice_calls_call_sid_fk" FOREIGN KEY ("call_sid") REFERENCES "public"."voice_calls"("call_sid") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "voice_calls_updated_idx" ON "voice_calls" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "push_subscriptions_device_idx" ON "push_subscriptions" USING btree ("program_id","device_id");--> statement-breakpoint
ALTER TABLE "contact_preferences" ADD CONSTRAINT "contact_preferences_reminder_check" CHECK ("contact_preferences"."check_in_reminder_at" is null or "contact_preferences"."check_in_reminder_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$');