CREATE TABLE "screen_corrections" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"screen_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"results" jsonb NOT NULL,
	"valid" boolean,
	"method" text NOT NULL,
	"laboratory" text,
	"reason" text NOT NULL,
	"external_id" text,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "screen_corrections_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
CREATE TABLE "screens" (
	"program_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"collected_at" timestamp with time zone NOT NULL,
	"collected_on" date NOT NULL,
	"matrix" text NOT NULL,
	"method" text NOT NULL,
	"laboratory" text,
	"observed" boolean NOT NULL,
	"observer_id" uuid,
	"collector_id" uuid,
	"temperature_c" double precision,
	"validity" jsonb,
	"cup" jsonb,
	"chain_of_custody_id" text,
	"valid" boolean NOT NULL,
	"invalid_reasons" jsonb NOT NULL,
	"results" jsonb NOT NULL,
	"external_id" text,
	"source" text NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "screens_program_id_id_pk" PRIMARY KEY("program_id","id")
);
--> statement-breakpoint
ALTER TABLE "screen_corrections" ADD CONSTRAINT "screen_corrections_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screen_corrections" ADD CONSTRAINT "screen_corrections_screen_fk" FOREIGN KEY ("program_id","screen_id") REFERENCES "public"."screens"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screens" ADD CONSTRAINT "screens_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "screens" ADD CONSTRAINT "screens_patient_fk" FOREIGN KEY ("program_id","patient_id") REFERENCES "public"."patients"("program_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "screen_corrections_external_key" ON "screen_corrections" USING btree ("program_id","screen_id","external_id") WHERE external_id is not null;--> statement-breakpoint
CREATE INDEX "screen_corrections_screen_idx" ON "screen_corrections" USING btree ("program_id","screen_id","recorded_at");--> statement-breakpoint
CREATE UNIQUE INDEX "screens_external_key" ON "screens" USING btree ("program_id","external_id") WHERE external_id is not null;--> statement-breakpoint
CREATE INDEX "screens_patient_idx" ON "screens" USING btree ("program_id","patient_id","collected_at");--> statement-breakpoint
CREATE INDEX "screens_collected_idx" ON "screens" USING btree ("program_id","collected_on");--> statement-breakpoint
-- Screens are clinical records: append-only, like CM events (a correction is a new row).
CREATE TRIGGER screens_append_only BEFORE UPDATE OR DELETE ON screens
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER screens_no_truncate BEFORE TRUNCATE ON screens
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER screen_corrections_append_only BEFORE UPDATE OR DELETE ON screen_corrections
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER screen_corrections_no_truncate BEFORE TRUNCATE ON screen_corrections
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
-- Specimens recorded before screens existed lived only in cm_events: each becomes a screen
-- with the same id (so the CM event still names it), and each correction a screen correction.
INSERT INTO screens (program_id, id, patient_id, collected_at, collected_on, matrix, method, laboratory, observed, observer_id, collector_id,
    temperature_c, validity, cup, chain_of_custody_id, valid, invalid_reasons, results, external_id, source, recorded_by, recorded_at)
  SELECT e.program_id, e.id, e.patient_id, e.at, coalesce(e.slot_date, (e.at AT TIME ZONE p.time_zone)::date), 'urine',
    coalesce(e.detail->>'method', 'presumptive'), NULL, coalesce((e.detail->>'observed')::boolean, false),
    (e.detail->>'observerId')::uuid, (e.detail->>'collectorId')::uuid, (e.detail->>'temperatureC')::double precision,
    e.detail->'validity', e.detail->'cup', NULL, coalesce((e.engine->>'valid')::boolean, true),
    coalesce(e.detail->'invalidReasons', '[]'::jsonb), coalesce(e.detail->'results', '[]'::jsonb), e.external_id, e.source, e.recorded_by, e.recorded_at
  FROM cm_events e JOIN programs p ON p.id = e.program_id
  WHERE e.kind = 'specimen';
--> statement-breakpoint
INSERT INTO screen_corrections (program_id, id, screen_id, patient_id, results, valid, method, laboratory, reason, external_id, source, recorded_by, recorded_at)
  SELECT e.program_id, e.id, e.ref_id, e.patient_id, coalesce(e.detail->'results', '[]'::jsonb), (e.detail->>'valid')::boolean,
    coalesce(e.detail->>'method', 'confirmatory'), e.detail->>'laboratory', coalesce(e.detail->>'reason', ''), e.external_id, e.source, e.recorded_by, e.recorded_at
  FROM cm_events e
  WHERE e.kind = 'correction';
