ALTER TABLE "integration_tokens" ADD COLUMN "scopes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
-- custom SQL below
-- Tokens made before scopes existed keep what they could legitimately do: record screens
-- (and read them back) and read a patient's ledger (core/access/scopes.ts SCOPES_OF_EARLIER_TOKENS).
-- Not the queues, check-ins or approvals lists they could also reach (ADR 021).
UPDATE "integration_tokens" SET "scopes" = ARRAY['screens:write', 'ledger:read']::text[] WHERE "scopes" = '{}'::text[];
