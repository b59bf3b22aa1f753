-- Rendered by `healthschema render` from templates/health/20250901001000_dashboard_views_and_searches.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Dashboard views and searches (issue 12; docs/performance.md, docs/security.md).
--
-- Views (no table alias: view definitions print alike on every major): security_invoker, so the caller's RLS policies apply to what they read (a plain view
-- would read as its owner and bypass RLS; reference notes §4.8). Readable by authenticated and
-- service_role, nothing for anon, granted in this same migration.
--
-- Searches: jsonb / array containment operators (@>, ?) are not LEAKPROOF, so under RLS the
-- planner must apply the policy before them and cannot use a GIN index (measured: 137× slower for
-- an org admin). These SECURITY DEFINER functions run the search without RLS and apply the same
-- access rule as the table's SELECT policy explicitly, so the GIN index finds the candidates and
-- the rule filters them. Private schema (never exposed), fixed search_path, EXECUTE for
-- authenticated and service_role only.

CREATE VIEW public.customer_health_current WITH (security_invoker = true) AS
SELECT *
  FROM public.customer_health
 WHERE is_current;
COMMENT ON VIEW public.customer_health_current IS
    'The current health snapshot of each client (customer_health WHERE is_current); security_invoker: RLS of customer_health applies';

CREATE VIEW public.organization_health_summary WITH (security_invoker = true) AS
SELECT organization_id,
       count(*)::integer AS clients,
       pg_catalog.round(avg(overall_health_score), 2) AS avg_health_score,
       count(*) FILTER (WHERE health_status = 'excellent')::integer AS excellent_clients,
       count(*) FILTER (WHERE health_status = 'good')::integer AS good_clients,
       count(*) FILTER (WHERE health_status = 'at_risk')::integer AS at_risk_clients,
       count(*) FILTER (WHERE health_status = 'critical')::integer AS critical_clients,
       pg_catalog.round(avg(churn_risk_score), 2) AS avg_churn_risk_score,
       min(overall_health_score) AS lowest_health_score
  FROM public.customer_health
 WHERE is_current
 GROUP BY organization_id;
COMMENT ON VIEW public.organization_health_summary IS
    'Per organization, from the current snapshots: clients, average score, clients per health status, average churn risk, lowest score; security_invoker: RLS of customer_health applies';

REVOKE ALL ON TABLE public.customer_health_current FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON TABLE public.customer_health_current TO authenticated, service_role;
REVOKE ALL ON TABLE public.organization_health_summary FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON TABLE public.organization_health_summary TO authenticated, service_role;

-- Calling a search function by name needs USAGE on the private schema (its functions stay
-- unexposed: PostgREST serves only the API schemas; EXECUTE on everything else there is revoked).
GRANT USAGE ON SCHEMA healthschema_private TO authenticated;


CREATE FUNCTION healthschema_private.search_milestones_requiring(p_milestone_id uuid)
RETURNS SETOF public.success_milestones
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT t.*
      FROM public.success_milestones AS t
     WHERE t.prerequisite_milestone_ids @> ARRAY[p_milestone_id]
       AND (pg_catalog.current_setting('role') = 'service_role' OR t.organization_id = ANY ((SELECT healthschema_private.member_or_staff_organization_ids())::uuid[]))
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.search_milestones_requiring(uuid) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.search_milestones_requiring(uuid) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.search_milestones_requiring(uuid) IS 'Milestones that list p_milestone_id as a prerequisite (GIN on prerequisite_milestone_ids), as success_milestones_select allows: members of the organization, platform staff, service_role. SECURITY DEFINER: keeps the GIN index under RLS.';


CREATE FUNCTION healthschema_private.search_milestones_triggered_by(p_condition jsonb)
RETURNS SETOF public.success_milestones
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT t.*
      FROM public.success_milestones AS t
     WHERE t.trigger_conditions @> p_condition
       AND (pg_catalog.current_setting('role') = 'service_role' OR t.organization_id = ANY ((SELECT healthschema_private.member_or_staff_organization_ids())::uuid[]))
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.search_milestones_triggered_by(jsonb) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.search_milestones_triggered_by(jsonb) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.search_milestones_triggered_by(jsonb) IS 'Milestones whose trigger_conditions contain p_condition (GIN jsonb_path_ops), as success_milestones_select allows: members of the organization, platform staff, service_role. SECURITY DEFINER: keeps the GIN index under RLS.';


CREATE FUNCTION healthschema_private.search_interactions_tagged(p_tags text[])
RETURNS SETOF public.support_interactions
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT t.*
      FROM public.support_interactions AS t
     WHERE t.tags @> p_tags
       AND (pg_catalog.current_setting('role') = 'service_role' OR t.organization_id = ANY ((SELECT healthschema_private.admin_or_staff_organization_ids())::uuid[]) OR (t.assigned_user_id = (SELECT auth.uid()) AND t.organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])))
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.search_interactions_tagged(text[]) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.search_interactions_tagged(text[]) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.search_interactions_tagged(text[]) IS 'Support interactions carrying every tag of p_tags (GIN on tags), as support_interactions_select allows: admins of the organization, the assigned member, platform staff, service_role. SECURITY DEFINER: keeps the GIN index under RLS.';


CREATE FUNCTION healthschema_private.search_current_health_using_feature(p_feature text)
RETURNS SETOF public.customer_health
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT t.*
      FROM public.customer_health AS t
     WHERE t.is_current AND t.features_used ? p_feature
       AND (pg_catalog.current_setting('role') = 'service_role' OR t.organization_id = ANY ((SELECT healthschema_private.admin_or_staff_organization_ids())::uuid[]))
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.search_current_health_using_feature(text) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.search_current_health_using_feature(text) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.search_current_health_using_feature(text) IS 'Current health snapshots whose features_used has the key p_feature (partial GIN), as customer_health_select allows: admins of the organization, platform staff, service_role. SECURITY DEFINER: keeps the GIN index under RLS.';

