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


-- Platform-wide dashboards (issue 12, docs/performance.md "RLS ratio"): one plan serves every
-- persona of an RLS policy, and the planner assumes the policy's organization array holds about
-- ten organizations, so a platform-wide list or count read by staff through RLS gets an
-- organization-leading plan and tests every row against an array of every organization (72× the
-- service_role time at 1M rows for the overdue list). These SECURITY DEFINER functions run the
-- question with two statically different statements: for service_role and platform staff (whose
-- policy admits every row: every row's organization_id is NOT NULL and references organizations)
-- the platform-wide statement, planned like service_role's; for everyone else the same statement
-- with the table's SELECT policy rule applied explicitly. Same grants as the searches.

CREATE FUNCTION healthschema_private.overdue_milestones(p_before date, p_limit integer DEFAULT 50)
RETURNS TABLE (id uuid, organization_id uuid, client_id uuid, milestone_type varchar, target_completion_date date)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
    IF pg_catalog.current_setting('role') = 'service_role' OR healthschema_private.platform_role() IN ('platform_admin', 'customer_success') THEN
        RETURN QUERY SELECT t.id, t.organization_id, t.client_id, t.milestone_type, t.target_completion_date
          FROM public.success_milestones AS t
         WHERE t.status IN ('pending', 'in_progress') AND t.target_completion_date < p_before AND (true)
         ORDER BY t.target_completion_date
         LIMIT p_limit;
    ELSE
        RETURN QUERY SELECT t.id, t.organization_id, t.client_id, t.milestone_type, t.target_completion_date
          FROM public.success_milestones AS t
         WHERE t.status IN ('pending', 'in_progress') AND t.target_completion_date < p_before AND (t.organization_id = ANY ((SELECT healthschema_private.member_or_staff_organization_ids())::uuid[]))
         ORDER BY t.target_completion_date
         LIMIT p_limit;
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.overdue_milestones(date, integer) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.overdue_milestones(date, integer) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.overdue_milestones(date, integer) IS 'Open (pending, in_progress) milestones with target_completion_date before p_before, earliest first, at most p_limit, as success_milestones_select allows: members of the organization, platform staff, service_role. SECURITY DEFINER: staff and service_role get the platform-wide plan.';


CREATE FUNCTION healthschema_private.milestone_status_counts(p_milestone_type varchar)
RETURNS TABLE (status varchar, milestones bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
    IF pg_catalog.current_setting('role') = 'service_role' OR healthschema_private.platform_role() IN ('platform_admin', 'customer_success') THEN
        RETURN QUERY SELECT t.status, count(*)
          FROM public.success_milestones AS t
         WHERE t.milestone_type = p_milestone_type AND (true)
         GROUP BY t.status
         ORDER BY t.status;
    ELSE
        RETURN QUERY SELECT t.status, count(*)
          FROM public.success_milestones AS t
         WHERE t.milestone_type = p_milestone_type AND (t.organization_id = ANY ((SELECT healthschema_private.member_or_staff_organization_ids())::uuid[]))
         GROUP BY t.status
         ORDER BY t.status;
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.milestone_status_counts(varchar) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.milestone_status_counts(varchar) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.milestone_status_counts(varchar) IS 'Milestones of type p_milestone_type per status (the completion funnel), as success_milestones_select allows: members of the organization, platform staff, service_role. SECURITY DEFINER: staff and service_role get the platform-wide plan.';


CREATE FUNCTION healthschema_private.open_interactions_by_priority(p_team varchar)
RETURNS TABLE (priority varchar, open_interactions bigint)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
BEGIN
    IF pg_catalog.current_setting('role') = 'service_role' OR healthschema_private.platform_role() IN ('platform_admin', 'customer_success') THEN
        RETURN QUERY SELECT t.priority, count(*)
          FROM public.support_interactions AS t
         WHERE t.assigned_team = p_team AND t.status IN ('open', 'in_progress', 'pending_customer', 'escalated')
           AND (true)
         GROUP BY t.priority
         ORDER BY t.priority;
    ELSE
        RETURN QUERY SELECT t.priority, count(*)
          FROM public.support_interactions AS t
         WHERE t.assigned_team = p_team AND t.status IN ('open', 'in_progress', 'pending_customer', 'escalated')
           AND (t.organization_id = ANY ((SELECT healthschema_private.admin_or_staff_organization_ids())::uuid[]) OR (t.assigned_user_id = (SELECT auth.uid()) AND t.organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])))
         GROUP BY t.priority
         ORDER BY t.priority;
    END IF;
END
$fn$;
REVOKE ALL ON FUNCTION healthschema_private.open_interactions_by_priority(varchar) FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.open_interactions_by_priority(varchar) TO authenticated, service_role;
COMMENT ON FUNCTION healthschema_private.open_interactions_by_priority(varchar) IS 'Open support interactions of team p_team per priority, as support_interactions_select allows: admins of the organization, the assigned member, platform staff, service_role. SECURITY DEFINER: staff and service_role get the platform-wide plan.';

