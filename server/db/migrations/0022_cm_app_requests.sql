CREATE TABLE "cm_redemption_request_outcomes" (
	"program_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"redemption_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone NOT NULL,
	"reason" text,
	CONSTRAINT "cm_redemption_request_outcomes_program_id_request_id_pk" PRIMARY KEY("program_id","request_id")
);
--> statement-breakpoint
CREATE TABLE "cm_redemption_requests" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cm_redemption_requests_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "cm_redemption_request_outcomes" ADD CONSTRAINT "cm_redemption_request_outcomes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_redemption_request_outcomes" ADD CONSTRAINT "cm_redemption_request_outcomes_request_fk" FOREIGN KEY ("program_id","request_id") REFERENCES "public"."cm_redemption_requests"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_redemption_requests" ADD CONSTRAINT "cm_redemption_requests_item_fk" FOREIGN KEY ("program_id","item_id") REFERENCES "public"."cm_catalogue_items"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cm_redemption_requests" ADD CONSTRAINT "cm_redemption_requests_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cm_redemption_request_outcomes_redemption_key" ON "cm_redemption_request_outcomes" USING btree ("program_id","redemption_id") WHERE redemption_id is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "cm_redemption_requests_key" ON "cm_redemption_requests" USING btree ("program_id","patient_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "cm_redemption_requests_patient_idx" ON "cm_redemption_requests" USING btree ("program_id","patient_id");--> statement-breakpoint
-- App requests and their outcomes are append-only, as the rest of CM's history.
CREATE TRIGGER cm_redemption_requests_append_only BEFORE UPDATE OR DELETE ON cm_redemption_requests
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();--> statement-breakpoint
CREATE TRIGGER cm_redemption_request_outcomes_append_only BEFORE UPDATE OR DELETE ON cm_redemption_request_outcomes
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();--> statement-breakpoint
-- The patient app's live updates (ADR 040): a new CM event or ledger entry tells the
-- patient's open app to look again. The payload is two ids, sent at commit, stored nowhere.
CREATE FUNCTION waypoint_notify_patient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('waypoint_patient_events', NEW.program_id::text || ':' || NEW.patient_id::text);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER cm_events_notify_patient AFTER INSERT ON cm_events
  FOR EACH ROW EXECUTE FUNCTION waypoint_notify_patient();--> statement-breakpoint
CREATE TRIGGER cm_ledger_entries_notify_patient AFTER INSERT ON cm_ledger_entries
  FOR EACH ROW EXECUTE FUNCTION waypoint_notify_patient();
