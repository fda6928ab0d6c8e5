ALTER TABLE "patients" ADD COLUMN "administrative_sex" text DEFAULT 'unknown' NOT NULL;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "sex" text;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "gender_identity" text;--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_administrative_sex_check" CHECK ("patients"."administrative_sex" in ('female', 'male', 'other', 'unknown'));--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_sex_check" CHECK ("patients"."sex" in ('female', 'male', 'unknown', 'asked-declined'));--> statement-breakpoint
ALTER TABLE "patients" ADD CONSTRAINT "patients_gender_identity_check" CHECK ("patients"."gender_identity" in ('female', 'male', 'non-binary', 'other', 'asked-declined', 'unknown'));