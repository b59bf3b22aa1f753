-- Rendered by `healthschema render` from templates/health/20250901000900_row_level_security.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Row Level Security: the access matrix of SPEC §2.5 (healthschema/access_matrix.py holds it as data;
-- tests/test_rls_matrix.py and `healthschema policy-check` prove it). One migration, after every table.
--
-- How the policies are built (docs/security.md):
--   * every policy is TO authenticated; anon has no privilege at all, service_role bypasses RLS
--     (BYPASSRLS) but still needs the explicit GRANTs below;
--   * at most one permissive policy per table, role and command; no USING (true);
--   * every function call is wrapped as (SELECT ...), so it becomes an initPlan evaluated once per
--     statement, and the organization filter is `organization_id = ANY (<initPlan array>)`, which an
--     index on organization_id can serve (reference notes §2);
--   * the SELECT policies are ONE such condition, also for platform staff (whose array holds every
--     organization): `org = ANY (...) OR <staff check>` can never be an index condition, so a query
--     scoped by RLS alone would read every tenant's rows (docs/security.md, docs/performance.md);
--   * organization roles come from user_profiles (user_id = auth.uid(), upper-case roles:
--     OWNER/ADMIN = admin, MEMBER/VIEWER = member); platform roles from the JWT's
--     app_metadata.platform_role ('platform_admin' | 'customer_success'), never user_metadata.

-- Membership helpers: in the private schema (never exposed through the API), STABLE, fixed
-- search_path. The two organization helpers are SECURITY DEFINER so that policies can read
-- user_profiles without giving API roles any privilege on it (and without recursing into its own
-- RLS); they only ever look at the caller's own profile.
CREATE FUNCTION healthschema_private.member_organization_ids()
RETURNS uuid[]
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT coalesce(array_agg(up.organization_id), '{}'::uuid[])
      FROM public.user_profiles AS up
     WHERE up.user_id = auth.uid()
       AND up.organization_id IS NOT NULL
       AND up.role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')
$fn$;
COMMENT ON FUNCTION healthschema_private.member_organization_ids() IS
    'RLS helper: organizations the caller (auth.uid()) belongs to with any role; empty when signed out';

CREATE FUNCTION healthschema_private.admin_organization_ids()
RETURNS uuid[]
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT coalesce(array_agg(up.organization_id), '{}'::uuid[])
      FROM public.user_profiles AS up
     WHERE up.user_id = auth.uid()
       AND up.organization_id IS NOT NULL
       AND up.role IN ('OWNER', 'ADMIN')
$fn$;
COMMENT ON FUNCTION healthschema_private.admin_organization_ids() IS
    'RLS helper: organizations the caller (auth.uid()) administers (profile role OWNER or ADMIN)';

-- Reads only the caller's own JWT, so SECURITY INVOKER is enough.
CREATE FUNCTION healthschema_private.platform_role()
RETURNS text
LANGUAGE sql
STABLE
SECURITY INVOKER
SET search_path = ''
AS $fn$
    SELECT auth.jwt() -> 'app_metadata' ->> 'platform_role'
$fn$;
COMMENT ON FUNCTION healthschema_private.platform_role() IS
    'RLS helper: the caller''s platform role from the server-controlled JWT app_metadata (platform_admin, customer_success) or NULL';

-- Read-policy helpers: the organizations whose rows the caller may read, as one array, so that the
-- SELECT policies are a single `organization_id = ANY (...)` index condition for every persona.
-- Platform staff (platform_role platform_admin or customer_success) get every organization; every
-- row's organization_id is NOT NULL and references organizations, so this is the same rule as
-- "staff see every row". SECURITY DEFINER: reads organizations and user_profiles.
CREATE FUNCTION healthschema_private.member_or_staff_organization_ids()
RETURNS uuid[]
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT CASE
               WHEN healthschema_private.platform_role() IN ('platform_admin', 'customer_success') THEN
                   (SELECT coalesce(array_agg(o.id ORDER BY o.id), '{}'::uuid[]) FROM public.organizations AS o)
               ELSE healthschema_private.member_organization_ids()
           END
$fn$;
COMMENT ON FUNCTION healthschema_private.member_or_staff_organization_ids() IS
    'RLS helper: every organization for platform staff (platform_admin, customer_success), else member_organization_ids()';
CREATE FUNCTION healthschema_private.admin_or_staff_organization_ids()
RETURNS uuid[]
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT CASE
               WHEN healthschema_private.platform_role() IN ('platform_admin', 'customer_success') THEN
                   (SELECT coalesce(array_agg(o.id ORDER BY o.id), '{}'::uuid[]) FROM public.organizations AS o)
               ELSE healthschema_private.admin_organization_ids()
           END
$fn$;
COMMENT ON FUNCTION healthschema_private.admin_or_staff_organization_ids() IS
    'RLS helper: every organization for platform staff (platform_admin, customer_success), else admin_organization_ids()';

REVOKE ALL ON FUNCTION healthschema_private.member_organization_ids() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.member_organization_ids() TO authenticated;
REVOKE ALL ON FUNCTION healthschema_private.admin_organization_ids() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.admin_organization_ids() TO authenticated;
REVOKE ALL ON FUNCTION healthschema_private.platform_role() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.platform_role() TO authenticated;
REVOKE ALL ON FUNCTION healthschema_private.member_or_staff_organization_ids() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.member_or_staff_organization_ids() TO authenticated;
REVOKE ALL ON FUNCTION healthschema_private.admin_or_staff_organization_ids() FROM PUBLIC, anon;
GRANT EXECUTE ON FUNCTION healthschema_private.admin_or_staff_organization_ids() TO authenticated;

-- Explicit grants: nothing for PUBLIC or anon, no TRUNCATE/REFERENCES/TRIGGER for API roles.
REVOKE ALL ON TABLE public.customer_health FROM PUBLIC, anon, authenticated, service_role;
REVOKE ALL ON TABLE public.success_milestones FROM PUBLIC, anon, authenticated, service_role;
REVOKE ALL ON TABLE public.support_interactions FROM PUBLIC, anon, authenticated, service_role;
REVOKE ALL ON TABLE public.milestone_templates FROM PUBLIC, anon, authenticated, service_role;
REVOKE ALL ON TABLE public.health_score_config FROM PUBLIC, anon, authenticated, service_role;
REVOKE ALL ON TABLE public.sla_targets FROM PUBLIC, anon, authenticated, service_role;
GRANT SELECT ON TABLE public.customer_health TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.success_milestones TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.support_interactions TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.milestone_templates TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.health_score_config TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.sla_targets TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.customer_health TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.success_milestones TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.support_interactions TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.milestone_templates TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.health_score_config TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.sla_targets TO service_role;

-- RLS on every table we create, FORCEd so that the table owner is subject to it too.
ALTER TABLE public.customer_health ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.customer_health FORCE ROW LEVEL SECURITY;
ALTER TABLE public.success_milestones ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.success_milestones FORCE ROW LEVEL SECURITY;
ALTER TABLE public.support_interactions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.support_interactions FORCE ROW LEVEL SECURITY;
ALTER TABLE public.milestone_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.milestone_templates FORCE ROW LEVEL SECURITY;
ALTER TABLE public.health_score_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.health_score_config FORCE ROW LEVEL SECURITY;
ALTER TABLE public.sla_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sla_targets FORCE ROW LEVEL SECURITY;


-- customer_health: read by org admins (own org) and platform staff; written only by service_role
-- (no INSERT/UPDATE/DELETE grant for authenticated, hence no write policies).
CREATE POLICY customer_health_select ON public.customer_health
    AS PERMISSIVE FOR SELECT TO authenticated
    USING (organization_id = ANY ((SELECT healthschema_private.admin_or_staff_organization_ids())::uuid[]))
;
COMMENT ON POLICY customer_health_select ON public.customer_health IS 'SELECT: admins of the row''s organization, customer_success, platform_admin';


-- success_milestones
CREATE POLICY success_milestones_select ON public.success_milestones
    AS PERMISSIVE FOR SELECT TO authenticated
    USING (organization_id = ANY ((SELECT healthschema_private.member_or_staff_organization_ids())::uuid[]))
;
COMMENT ON POLICY success_milestones_select ON public.success_milestones IS 'SELECT: members of the row''s organization (any role), customer_success, platform_admin';

CREATE POLICY success_milestones_insert ON public.success_milestones
    AS PERMISSIVE FOR INSERT TO authenticated
    WITH CHECK (organization_id = ANY ((SELECT healthschema_private.admin_organization_ids())::uuid[]) OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))
;
COMMENT ON POLICY success_milestones_insert ON public.success_milestones IS 'INSERT: admins into their own organization, customer_success, platform_admin';

CREATE POLICY success_milestones_update ON public.success_milestones
    AS PERMISSIVE FOR UPDATE TO authenticated
    USING (organization_id = ANY ((SELECT healthschema_private.admin_organization_ids())::uuid[]) OR (assigned_user_id = (SELECT auth.uid()) AND organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])) OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))
    WITH CHECK (organization_id = ANY ((SELECT healthschema_private.admin_organization_ids())::uuid[]) OR (assigned_user_id = (SELECT auth.uid()) AND organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])) OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))
;
COMMENT ON POLICY success_milestones_update ON public.success_milestones IS 'UPDATE: admins of the organization, the assigned member, customer_success, platform_admin; rows cannot be moved out of reach';

CREATE POLICY success_milestones_delete ON public.success_milestones
    AS PERMISSIVE FOR DELETE TO authenticated
    USING (organization_id = ANY ((SELECT healthschema_private.admin_organization_ids())::uuid[]) OR (SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY success_milestones_delete ON public.success_milestones IS 'DELETE: admins of the row''s organization, platform_admin';


-- support_interactions
CREATE POLICY support_interactions_select ON public.support_interactions
    AS PERMISSIVE FOR SELECT TO authenticated
    USING (organization_id = ANY ((SELECT healthschema_private.admin_or_staff_organization_ids())::uuid[]) OR (assigned_user_id = (SELECT auth.uid()) AND organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])))
;
COMMENT ON POLICY support_interactions_select ON public.support_interactions IS 'SELECT: admins of the row''s organization, the assigned member, customer_success, platform_admin';

CREATE POLICY support_interactions_insert ON public.support_interactions
    AS PERMISSIVE FOR INSERT TO authenticated
    WITH CHECK ((SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))
;
COMMENT ON POLICY support_interactions_insert ON public.support_interactions IS 'INSERT: customer_success, platform_admin';

CREATE POLICY support_interactions_update ON public.support_interactions
    AS PERMISSIVE FOR UPDATE TO authenticated
    USING ((assigned_user_id = (SELECT auth.uid()) AND organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])) OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))
    WITH CHECK ((assigned_user_id = (SELECT auth.uid()) AND organization_id = ANY ((SELECT healthschema_private.member_organization_ids())::uuid[])) OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))
;
COMMENT ON POLICY support_interactions_update ON public.support_interactions IS 'UPDATE: the assigned member of the row''s organization, customer_success, platform_admin';

CREATE POLICY support_interactions_delete ON public.support_interactions
    AS PERMISSIVE FOR DELETE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY support_interactions_delete ON public.support_interactions IS 'DELETE: platform_admin';


-- Configuration and template tables: readable by every signed-in user, written by platform_admin
-- (and service_role, which bypasses RLS).
CREATE POLICY milestone_templates_select ON public.milestone_templates
    AS PERMISSIVE FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) IS NOT NULL)
;
COMMENT ON POLICY milestone_templates_select ON public.milestone_templates IS 'SELECT: every signed-in user';

CREATE POLICY milestone_templates_insert ON public.milestone_templates
    AS PERMISSIVE FOR INSERT TO authenticated
    WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY milestone_templates_insert ON public.milestone_templates IS 'INSERT: platform_admin';

CREATE POLICY milestone_templates_update ON public.milestone_templates
    AS PERMISSIVE FOR UPDATE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
    WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY milestone_templates_update ON public.milestone_templates IS 'UPDATE: platform_admin';

CREATE POLICY milestone_templates_delete ON public.milestone_templates
    AS PERMISSIVE FOR DELETE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY milestone_templates_delete ON public.milestone_templates IS 'DELETE: platform_admin';

CREATE POLICY health_score_config_select ON public.health_score_config
    AS PERMISSIVE FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) IS NOT NULL)
;
COMMENT ON POLICY health_score_config_select ON public.health_score_config IS 'SELECT: every signed-in user';

CREATE POLICY health_score_config_insert ON public.health_score_config
    AS PERMISSIVE FOR INSERT TO authenticated
    WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY health_score_config_insert ON public.health_score_config IS 'INSERT: platform_admin';

CREATE POLICY health_score_config_update ON public.health_score_config
    AS PERMISSIVE FOR UPDATE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
    WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY health_score_config_update ON public.health_score_config IS 'UPDATE: platform_admin';

CREATE POLICY health_score_config_delete ON public.health_score_config
    AS PERMISSIVE FOR DELETE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY health_score_config_delete ON public.health_score_config IS 'DELETE: platform_admin';

CREATE POLICY sla_targets_select ON public.sla_targets
    AS PERMISSIVE FOR SELECT TO authenticated
    USING ((SELECT auth.uid()) IS NOT NULL)
;
COMMENT ON POLICY sla_targets_select ON public.sla_targets IS 'SELECT: every signed-in user';

CREATE POLICY sla_targets_insert ON public.sla_targets
    AS PERMISSIVE FOR INSERT TO authenticated
    WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY sla_targets_insert ON public.sla_targets IS 'INSERT: platform_admin';

CREATE POLICY sla_targets_update ON public.sla_targets
    AS PERMISSIVE FOR UPDATE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
    WITH CHECK ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY sla_targets_update ON public.sla_targets IS 'UPDATE: platform_admin';

CREATE POLICY sla_targets_delete ON public.sla_targets
    AS PERMISSIVE FOR DELETE TO authenticated
    USING ((SELECT healthschema_private.platform_role()) = 'platform_admin')
;
COMMENT ON POLICY sla_targets_delete ON public.sla_targets IS 'DELETE: platform_admin';

