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

-- Explicit grants: nothing for PUBLIC or anon, no TRUNCATE/REFERENCES/TRIGGER for API roles. The
-- table migrations revoked everything and enabled + FORCEd RLS when they created the tables
-- (secure at creation). UPDATE of authenticated is column-level: the union of what its personas
-- may change (healthschema/access_matrix.py COLUMN_RIGHTS / CONFIG_UPDATE_COLUMNS); the
-- <table>_authorize_columns triggers below narrow it per persona.
GRANT SELECT ON TABLE public.customer_health TO authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.success_milestones TO authenticated;
GRANT UPDATE (client_id, organization_id, milestone_type, milestone_category, milestone_name, milestone_description, status, priority, progress_percentage, target_completion_date, estimated_hours, actual_hours, health_score_impact, engagement_score_impact, progress_score_impact, is_critical_path, prerequisite_milestone_ids, trigger_conditions, completion_triggers, assigned_user_id, assigned_team, requires_supplier_action, supplier_dependencies, custom_fields, notes) ON TABLE public.success_milestones TO authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.support_interactions TO authenticated;
GRANT UPDATE (client_id, organization_id, interaction_type, interaction_category, interaction_method, trigger_event, trigger_threshold, health_score_at_interaction, churn_risk_level, subject, description, interaction_data, priority, urgency, assigned_user_id, assigned_team, escalation_level, status, resolution_type, first_response_at, customer_contacted, customer_response_received, customer_satisfaction_rating, customer_feedback, outcome_category, resolution_notes, follow_up_required, follow_up_date, health_score_impact_predicted, health_score_impact_actual, engagement_impact, satisfaction_impact, related_milestone_id, related_support_ticket_id, related_interaction_ids, ai_sentiment_score, ai_suggested_actions, ai_risk_assessment, messages_sent, messages_received, communication_preferences, tags, custom_fields) ON TABLE public.support_interactions TO authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.milestone_templates TO authenticated;
GRANT UPDATE (template_key, milestone_name, milestone_description, milestone_type, milestone_category, priority, due_anchor, due_offset_days, prerequisite_keys, is_critical_path, health_score_impact, engagement_score_impact, progress_score_impact, is_active) ON TABLE public.milestone_templates TO authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.health_score_config TO authenticated;
GRANT UPDATE (weight_engagement, weight_progress, weight_satisfaction, weight_churn_risk, threshold_excellent, threshold_good, threshold_at_risk) ON TABLE public.health_score_config TO authenticated;
GRANT SELECT, INSERT, DELETE ON TABLE public.sla_targets TO authenticated;
GRANT UPDATE (response_hours, resolution_hours) ON TABLE public.sla_targets TO authenticated;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.customer_health TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.success_milestones TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.support_interactions TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.milestone_templates TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.health_score_config TO service_role;
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE public.sla_targets TO service_role;

-- Column rights per persona (SPEC §2.5: each API persona may change only the columns its job
-- needs). BEFORE UPDATE, named to fire before every other trigger of the table, so it sees
-- exactly what the caller changed. service_role and the owner keep table-level rights.
CREATE FUNCTION healthschema_private.success_milestones_authorize_columns()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    who text;
    denied text;
BEGIN
    -- Only the caller's own statement: service_role and the owner keep table-level rights, and
    -- rows our triggers update on the caller's behalf (trigger depth > 1) are not the caller's edit.
    IF pg_catalog.current_setting('role') <> 'authenticated' OR pg_catalog.pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;
    who := CASE
        WHEN coalesce(auth.jwt() -> 'app_metadata' ->> 'platform_role', '') IN ('platform_admin', 'customer_success') THEN 'staff'
        WHEN OLD.organization_id = ANY (healthschema_private.admin_organization_ids()) THEN 'admin'
        ELSE 'assignee'
    END;
    IF who = 'staff' THEN
        denied := CASE
            WHEN NEW.id IS DISTINCT FROM OLD.id THEN 'id'
            WHEN NEW.actual_completion_date IS DISTINCT FROM OLD.actual_completion_date THEN 'actual_completion_date'
            WHEN NEW.wedding_date IS DISTINCT FROM OLD.wedding_date THEN 'wedding_date'
            WHEN NEW.days_until_wedding IS DISTINCT FROM OLD.days_until_wedding THEN 'days_until_wedding'
            WHEN NEW.dependent_milestone_ids IS DISTINCT FROM OLD.dependent_milestone_ids THEN 'dependent_milestone_ids'
            WHEN NEW.auto_generated IS DISTINCT FROM OLD.auto_generated THEN 'auto_generated'
            WHEN NEW.milestone_version IS DISTINCT FROM OLD.milestone_version THEN 'milestone_version'
            WHEN NEW.template_id IS DISTINCT FROM OLD.template_id THEN 'template_id'
            WHEN NEW.created_at IS DISTINCT FROM OLD.created_at THEN 'created_at'
            WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN 'updated_at'
            WHEN NEW.started_at IS DISTINCT FROM OLD.started_at THEN 'started_at'
            WHEN NEW.completed_at IS DISTINCT FROM OLD.completed_at THEN 'completed_at'
            ELSE NULL
        END;
    ELSIF who = 'admin' THEN
        denied := CASE
            WHEN NEW.id IS DISTINCT FROM OLD.id THEN 'id'
            WHEN NEW.milestone_type IS DISTINCT FROM OLD.milestone_type THEN 'milestone_type'
            WHEN NEW.milestone_category IS DISTINCT FROM OLD.milestone_category THEN 'milestone_category'
            WHEN NEW.actual_completion_date IS DISTINCT FROM OLD.actual_completion_date THEN 'actual_completion_date'
            WHEN NEW.health_score_impact IS DISTINCT FROM OLD.health_score_impact THEN 'health_score_impact'
            WHEN NEW.engagement_score_impact IS DISTINCT FROM OLD.engagement_score_impact THEN 'engagement_score_impact'
            WHEN NEW.progress_score_impact IS DISTINCT FROM OLD.progress_score_impact THEN 'progress_score_impact'
            WHEN NEW.wedding_date IS DISTINCT FROM OLD.wedding_date THEN 'wedding_date'
            WHEN NEW.days_until_wedding IS DISTINCT FROM OLD.days_until_wedding THEN 'days_until_wedding'
            WHEN NEW.dependent_milestone_ids IS DISTINCT FROM OLD.dependent_milestone_ids THEN 'dependent_milestone_ids'
            WHEN NEW.auto_generated IS DISTINCT FROM OLD.auto_generated THEN 'auto_generated'
            WHEN NEW.trigger_conditions IS DISTINCT FROM OLD.trigger_conditions THEN 'trigger_conditions'
            WHEN NEW.completion_triggers IS DISTINCT FROM OLD.completion_triggers THEN 'completion_triggers'
            WHEN NEW.milestone_version IS DISTINCT FROM OLD.milestone_version THEN 'milestone_version'
            WHEN NEW.template_id IS DISTINCT FROM OLD.template_id THEN 'template_id'
            WHEN NEW.created_at IS DISTINCT FROM OLD.created_at THEN 'created_at'
            WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN 'updated_at'
            WHEN NEW.started_at IS DISTINCT FROM OLD.started_at THEN 'started_at'
            WHEN NEW.completed_at IS DISTINCT FROM OLD.completed_at THEN 'completed_at'
            ELSE NULL
        END;
    ELSIF who = 'assignee' THEN
        denied := CASE
            WHEN NEW.id IS DISTINCT FROM OLD.id THEN 'id'
            WHEN NEW.milestone_type IS DISTINCT FROM OLD.milestone_type THEN 'milestone_type'
            WHEN NEW.milestone_category IS DISTINCT FROM OLD.milestone_category THEN 'milestone_category'
            WHEN NEW.milestone_name IS DISTINCT FROM OLD.milestone_name THEN 'milestone_name'
            WHEN NEW.milestone_description IS DISTINCT FROM OLD.milestone_description THEN 'milestone_description'
            WHEN NEW.priority IS DISTINCT FROM OLD.priority THEN 'priority'
            WHEN NEW.target_completion_date IS DISTINCT FROM OLD.target_completion_date THEN 'target_completion_date'
            WHEN NEW.actual_completion_date IS DISTINCT FROM OLD.actual_completion_date THEN 'actual_completion_date'
            WHEN NEW.estimated_hours IS DISTINCT FROM OLD.estimated_hours THEN 'estimated_hours'
            WHEN NEW.health_score_impact IS DISTINCT FROM OLD.health_score_impact THEN 'health_score_impact'
            WHEN NEW.engagement_score_impact IS DISTINCT FROM OLD.engagement_score_impact THEN 'engagement_score_impact'
            WHEN NEW.progress_score_impact IS DISTINCT FROM OLD.progress_score_impact THEN 'progress_score_impact'
            WHEN NEW.wedding_date IS DISTINCT FROM OLD.wedding_date THEN 'wedding_date'
            WHEN NEW.days_until_wedding IS DISTINCT FROM OLD.days_until_wedding THEN 'days_until_wedding'
            WHEN NEW.is_critical_path IS DISTINCT FROM OLD.is_critical_path THEN 'is_critical_path'
            WHEN NEW.prerequisite_milestone_ids IS DISTINCT FROM OLD.prerequisite_milestone_ids THEN 'prerequisite_milestone_ids'
            WHEN NEW.dependent_milestone_ids IS DISTINCT FROM OLD.dependent_milestone_ids THEN 'dependent_milestone_ids'
            WHEN NEW.auto_generated IS DISTINCT FROM OLD.auto_generated THEN 'auto_generated'
            WHEN NEW.trigger_conditions IS DISTINCT FROM OLD.trigger_conditions THEN 'trigger_conditions'
            WHEN NEW.completion_triggers IS DISTINCT FROM OLD.completion_triggers THEN 'completion_triggers'
            WHEN NEW.assigned_user_id IS DISTINCT FROM OLD.assigned_user_id THEN 'assigned_user_id'
            WHEN NEW.assigned_team IS DISTINCT FROM OLD.assigned_team THEN 'assigned_team'
            WHEN NEW.requires_supplier_action IS DISTINCT FROM OLD.requires_supplier_action THEN 'requires_supplier_action'
            WHEN NEW.supplier_dependencies IS DISTINCT FROM OLD.supplier_dependencies THEN 'supplier_dependencies'
            WHEN NEW.milestone_version IS DISTINCT FROM OLD.milestone_version THEN 'milestone_version'
            WHEN NEW.template_id IS DISTINCT FROM OLD.template_id THEN 'template_id'
            WHEN NEW.created_at IS DISTINCT FROM OLD.created_at THEN 'created_at'
            WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN 'updated_at'
            WHEN NEW.started_at IS DISTINCT FROM OLD.started_at THEN 'started_at'
            WHEN NEW.completed_at IS DISTINCT FROM OLD.completed_at THEN 'completed_at'
            ELSE NULL
        END;
    END IF;
    IF denied IS NOT NULL THEN
        RAISE EXCEPTION 'success_milestones: permission denied to change column %', denied
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'the columns each role may change are listed in docs/security.md';
    END IF;
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.success_milestones_authorize_columns() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.success_milestones_authorize_columns() IS
    'Trigger: an authenticated caller may change only the columns of its class (staff, admin, assignee; see docs/security.md) besides client_id/organization_id (governed by the UPDATE policy); 42501 naming the first other changed column. SECURITY DEFINER: reads the caller''s profile.';
CREATE TRIGGER success_milestones_authorize_columns
    BEFORE UPDATE ON public.success_milestones
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.success_milestones_authorize_columns();

CREATE FUNCTION healthschema_private.support_interactions_authorize_columns()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    who text;
    denied text;
BEGIN
    -- Only the caller's own statement: service_role and the owner keep table-level rights, and
    -- rows our triggers update on the caller's behalf (trigger depth > 1) are not the caller's edit.
    IF pg_catalog.current_setting('role') <> 'authenticated' OR pg_catalog.pg_trigger_depth() > 1 THEN
        RETURN NEW;
    END IF;
    who := CASE
        WHEN coalesce(auth.jwt() -> 'app_metadata' ->> 'platform_role', '') IN ('platform_admin', 'customer_success') THEN 'staff'
        ELSE 'assignee'
    END;
    IF who = 'staff' THEN
        denied := CASE
            WHEN NEW.id IS DISTINCT FROM OLD.id THEN 'id'
            WHEN NEW.created_at IS DISTINCT FROM OLD.created_at THEN 'created_at'
            WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN 'updated_at'
            WHEN NEW.resolved_at IS DISTINCT FROM OLD.resolved_at THEN 'resolved_at'
            WHEN NEW.closed_at IS DISTINCT FROM OLD.closed_at THEN 'closed_at'
            WHEN NEW.sla_target_response_hours IS DISTINCT FROM OLD.sla_target_response_hours THEN 'sla_target_response_hours'
            WHEN NEW.sla_target_resolution_hours IS DISTINCT FROM OLD.sla_target_resolution_hours THEN 'sla_target_resolution_hours'
            WHEN NEW.sla_response_met IS DISTINCT FROM OLD.sla_response_met THEN 'sla_response_met'
            WHEN NEW.sla_resolution_met IS DISTINCT FROM OLD.sla_resolution_met THEN 'sla_resolution_met'
            WHEN NEW.sla_response_due_at IS DISTINCT FROM OLD.sla_response_due_at THEN 'sla_response_due_at'
            WHEN NEW.sla_resolution_due_at IS DISTINCT FROM OLD.sla_resolution_due_at THEN 'sla_resolution_due_at'
            WHEN NEW.auto_generated IS DISTINCT FROM OLD.auto_generated THEN 'auto_generated'
            WHEN NEW.total_touchpoints IS DISTINCT FROM OLD.total_touchpoints THEN 'total_touchpoints'
            WHEN NEW.interaction_version IS DISTINCT FROM OLD.interaction_version THEN 'interaction_version'
            ELSE NULL
        END;
        -- first_response_at: set once, recorded as now() (cannot be back-dated or moved later).
        IF OLD.first_response_at IS NOT NULL AND NEW.first_response_at IS DISTINCT FROM OLD.first_response_at THEN
            denied := coalesce(denied, 'first_response_at');
        ELSIF OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL THEN
            NEW.first_response_at := pg_catalog.now();
        END IF;
    ELSIF who = 'assignee' THEN
        denied := CASE
            WHEN NEW.id IS DISTINCT FROM OLD.id THEN 'id'
            WHEN NEW.interaction_type IS DISTINCT FROM OLD.interaction_type THEN 'interaction_type'
            WHEN NEW.interaction_category IS DISTINCT FROM OLD.interaction_category THEN 'interaction_category'
            WHEN NEW.interaction_method IS DISTINCT FROM OLD.interaction_method THEN 'interaction_method'
            WHEN NEW.trigger_event IS DISTINCT FROM OLD.trigger_event THEN 'trigger_event'
            WHEN NEW.trigger_threshold IS DISTINCT FROM OLD.trigger_threshold THEN 'trigger_threshold'
            WHEN NEW.health_score_at_interaction IS DISTINCT FROM OLD.health_score_at_interaction THEN 'health_score_at_interaction'
            WHEN NEW.churn_risk_level IS DISTINCT FROM OLD.churn_risk_level THEN 'churn_risk_level'
            WHEN NEW.subject IS DISTINCT FROM OLD.subject THEN 'subject'
            WHEN NEW.priority IS DISTINCT FROM OLD.priority THEN 'priority'
            WHEN NEW.urgency IS DISTINCT FROM OLD.urgency THEN 'urgency'
            WHEN NEW.assigned_user_id IS DISTINCT FROM OLD.assigned_user_id THEN 'assigned_user_id'
            WHEN NEW.assigned_team IS DISTINCT FROM OLD.assigned_team THEN 'assigned_team'
            WHEN NEW.created_at IS DISTINCT FROM OLD.created_at THEN 'created_at'
            WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN 'updated_at'
            WHEN NEW.resolved_at IS DISTINCT FROM OLD.resolved_at THEN 'resolved_at'
            WHEN NEW.closed_at IS DISTINCT FROM OLD.closed_at THEN 'closed_at'
            WHEN NEW.sla_target_response_hours IS DISTINCT FROM OLD.sla_target_response_hours THEN 'sla_target_response_hours'
            WHEN NEW.sla_target_resolution_hours IS DISTINCT FROM OLD.sla_target_resolution_hours THEN 'sla_target_resolution_hours'
            WHEN NEW.sla_response_met IS DISTINCT FROM OLD.sla_response_met THEN 'sla_response_met'
            WHEN NEW.sla_resolution_met IS DISTINCT FROM OLD.sla_resolution_met THEN 'sla_resolution_met'
            WHEN NEW.sla_response_due_at IS DISTINCT FROM OLD.sla_response_due_at THEN 'sla_response_due_at'
            WHEN NEW.sla_resolution_due_at IS DISTINCT FROM OLD.sla_resolution_due_at THEN 'sla_resolution_due_at'
            WHEN NEW.customer_satisfaction_rating IS DISTINCT FROM OLD.customer_satisfaction_rating THEN 'customer_satisfaction_rating'
            WHEN NEW.health_score_impact_predicted IS DISTINCT FROM OLD.health_score_impact_predicted THEN 'health_score_impact_predicted'
            WHEN NEW.engagement_impact IS DISTINCT FROM OLD.engagement_impact THEN 'engagement_impact'
            WHEN NEW.satisfaction_impact IS DISTINCT FROM OLD.satisfaction_impact THEN 'satisfaction_impact'
            WHEN NEW.related_milestone_id IS DISTINCT FROM OLD.related_milestone_id THEN 'related_milestone_id'
            WHEN NEW.related_support_ticket_id IS DISTINCT FROM OLD.related_support_ticket_id THEN 'related_support_ticket_id'
            WHEN NEW.related_interaction_ids IS DISTINCT FROM OLD.related_interaction_ids THEN 'related_interaction_ids'
            WHEN NEW.auto_generated IS DISTINCT FROM OLD.auto_generated THEN 'auto_generated'
            WHEN NEW.ai_sentiment_score IS DISTINCT FROM OLD.ai_sentiment_score THEN 'ai_sentiment_score'
            WHEN NEW.ai_suggested_actions IS DISTINCT FROM OLD.ai_suggested_actions THEN 'ai_suggested_actions'
            WHEN NEW.ai_risk_assessment IS DISTINCT FROM OLD.ai_risk_assessment THEN 'ai_risk_assessment'
            WHEN NEW.total_touchpoints IS DISTINCT FROM OLD.total_touchpoints THEN 'total_touchpoints'
            WHEN NEW.communication_preferences IS DISTINCT FROM OLD.communication_preferences THEN 'communication_preferences'
            WHEN NEW.interaction_version IS DISTINCT FROM OLD.interaction_version THEN 'interaction_version'
            ELSE NULL
        END;
        -- first_response_at: set once, recorded as now() (cannot be back-dated or moved later).
        IF OLD.first_response_at IS NOT NULL AND NEW.first_response_at IS DISTINCT FROM OLD.first_response_at THEN
            denied := coalesce(denied, 'first_response_at');
        ELSIF OLD.first_response_at IS NULL AND NEW.first_response_at IS NOT NULL THEN
            NEW.first_response_at := pg_catalog.now();
        END IF;
    END IF;
    IF denied IS NOT NULL THEN
        RAISE EXCEPTION 'support_interactions: permission denied to change column %', denied
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'the columns each role may change are listed in docs/security.md';
    END IF;
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.support_interactions_authorize_columns() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.support_interactions_authorize_columns() IS
    'Trigger: an authenticated caller may change only the columns of its class (staff, assignee; see docs/security.md) besides client_id/organization_id (governed by the UPDATE policy); 42501 naming the first other changed column. SECURITY DEFINER: reads the caller''s profile.';
CREATE TRIGGER support_interactions_authorize_columns
    BEFORE UPDATE ON public.support_interactions
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.support_interactions_authorize_columns();


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

