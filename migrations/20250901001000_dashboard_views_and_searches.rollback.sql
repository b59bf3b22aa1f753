-- Rendered by `healthschema render` from templates/health/20250901001000_dashboard_views_and_searches.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Removes exactly what 20250901001000_dashboard_views_and_searches created.
DROP FUNCTION healthschema_private.open_interactions_by_priority(varchar);
DROP FUNCTION healthschema_private.milestone_status_counts(varchar);
DROP FUNCTION healthschema_private.overdue_milestones(date, integer);
DROP FUNCTION healthschema_private.search_current_health_using_feature(text);
DROP FUNCTION healthschema_private.search_interactions_tagged(text[]);
DROP FUNCTION healthschema_private.search_milestones_triggered_by(jsonb);
DROP FUNCTION healthschema_private.search_milestones_requiring(uuid);
REVOKE USAGE ON SCHEMA healthschema_private FROM authenticated;
DROP VIEW public.organization_health_summary;
DROP VIEW public.customer_health_current;
