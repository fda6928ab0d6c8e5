ALTER TABLE "audit_seals" ADD COLUMN "signature" text;--> statement-breakpoint
ALTER TABLE "audit_seals" ADD COLUMN "key_fingerprint" text;