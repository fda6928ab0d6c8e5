CREATE TABLE "patient_event_listeners" (
	"program_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"hub_id" uuid NOT NULL,
	"seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "patient_event_listeners_program_id_patient_id_hub_id_pk" PRIMARY KEY("program_id","patient_id","hub_id")
);
--> statement-breakpoint
CREATE INDEX "patient_event_listeners_hub_idx" ON "patient_event_listeners" USING btree ("hub_id");--> statement-breakpoint
-- Custom (ADR 063): a CM row notifies its patient only while a server process holds a live
-- stream of that patient (patient_event_listeners). NOTIFY takes a database-wide lock at commit
-- and holds it until the commit is flushed, so every notifying transaction of the database
-- commits one after another; a recording for a patient whose app is not open now takes no part
-- in that. The check runs at commit (deferred), so a stream opened while the recording ran is
-- seen.
CREATE OR REPLACE FUNCTION waypoint_notify_patient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM patient_event_listeners l WHERE l.program_id = NEW.program_id AND l.patient_id = NEW.patient_id) THEN
    PERFORM pg_notify('waypoint_patient_events', NEW.program_id::text || ':' || NEW.patient_id::text);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
DROP TRIGGER cm_events_notify_patient ON cm_events;--> statement-breakpoint
DROP TRIGGER cm_ledger_entries_notify_patient ON cm_ledger_entries;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cm_events_notify_patient AFTER INSERT ON cm_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION waypoint_notify_patient();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER cm_ledger_entries_notify_patient AFTER INSERT ON cm_ledger_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION waypoint_notify_patient();
