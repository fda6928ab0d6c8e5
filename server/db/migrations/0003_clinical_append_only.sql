-- Clinical and financial records are append-only: the database refuses to change or
-- remove CM events, ledger entries, draws, decisions, stock movements, protocols,
-- redemptions, administrations, score observations, stage history, plan versions and
-- agreements (a correction or revision is a new row).
CREATE TRIGGER cm_events_append_only BEFORE UPDATE OR DELETE ON cm_events
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_events_no_truncate BEFORE TRUNCATE ON cm_events
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_ledger_entries_append_only BEFORE UPDATE OR DELETE ON cm_ledger_entries
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_ledger_entries_no_truncate BEFORE TRUNCATE ON cm_ledger_entries
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_draw_reveals_append_only BEFORE UPDATE OR DELETE ON cm_draw_reveals
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_draw_reveals_no_truncate BEFORE TRUNCATE ON cm_draw_reveals
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_privilege_decisions_append_only BEFORE UPDATE OR DELETE ON cm_privilege_decisions
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_privilege_decisions_no_truncate BEFORE TRUNCATE ON cm_privilege_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_stock_movements_append_only BEFORE UPDATE OR DELETE ON cm_stock_movements
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_stock_movements_no_truncate BEFORE TRUNCATE ON cm_stock_movements
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_redemption_outcomes_append_only BEFORE UPDATE OR DELETE ON cm_redemption_outcomes
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_redemption_outcomes_no_truncate BEFORE TRUNCATE ON cm_redemption_outcomes
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_protocols_append_only BEFORE UPDATE OR DELETE ON cm_protocols
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_protocols_no_truncate BEFORE TRUNCATE ON cm_protocols
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_redemptions_append_only BEFORE UPDATE OR DELETE ON cm_redemptions
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_redemptions_no_truncate BEFORE TRUNCATE ON cm_redemptions
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_privilege_recommendations_append_only BEFORE UPDATE OR DELETE ON cm_privilege_recommendations
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER cm_privilege_recommendations_no_truncate BEFORE TRUNCATE ON cm_privilege_recommendations
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER assessments_no_truncate BEFORE TRUNCATE ON assessments
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER score_observations_append_only BEFORE UPDATE OR DELETE ON score_observations
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER score_observations_no_truncate BEFORE TRUNCATE ON score_observations
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stage_assessments_append_only BEFORE UPDATE OR DELETE ON stage_assessments
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stage_assessments_no_truncate BEFORE TRUNCATE ON stage_assessments
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER care_plan_versions_append_only BEFORE UPDATE OR DELETE ON care_plan_versions
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER care_plan_versions_no_truncate BEFORE TRUNCATE ON care_plan_versions
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER care_plan_agreements_append_only BEFORE UPDATE OR DELETE ON care_plan_agreements
  FOR EACH ROW EXECUTE FUNCTION waypoint_refuse_change();
--> statement-breakpoint
CREATE TRIGGER care_plan_agreements_no_truncate BEFORE TRUNCATE ON care_plan_agreements
  FOR EACH STATEMENT EXECUTE FUNCTION waypoint_refuse_change();
