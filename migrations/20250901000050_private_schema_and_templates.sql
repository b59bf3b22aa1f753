-- Rendered by `healthschema render` from templates/health/20250901000050_private_schema_and_templates.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- The private schema (helper functions, never exposed through the API), the organization rule
-- shared by the three health tables, and the milestone template catalogue (SPEC §2.2, §2.4).
CREATE SCHEMA healthschema_private;
REVOKE ALL ON SCHEMA healthschema_private FROM PUBLIC;
COMMENT ON SCHEMA healthschema_private IS
    'healthschema: helper and trigger functions of the health schema; not exposed through the API';

-- Who is calling (SPEC §2.4: errors never reveal rows the caller cannot read). Inside a SECURITY
-- DEFINER function current_user is the owner, but the `role` setting still names the role the
-- request runs as (PostgREST: set_config('role', ...)). anon and authenticated are API callers;
-- everything else (service_role, the owner, scheduled jobs) is a trusted server-side caller.
CREATE FUNCTION healthschema_private.caller_is_api_user()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = ''
AS $fn$
    SELECT pg_catalog.current_setting('role') IN ('anon', 'authenticated')
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.caller_is_api_user() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.caller_is_api_user() IS
    'true when the statement runs as anon or authenticated (an API request), also inside SECURITY DEFINER functions';

-- May the caller read rows of this organization? Trusted callers and platform staff: yes; an API
-- user: only an organization of their own profile. Used to decide how much an error may say.
CREATE FUNCTION healthschema_private.caller_sees_organization(p_organization_id uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = ''
AS $fn$
    SELECT NOT healthschema_private.caller_is_api_user()
        OR coalesce(auth.jwt() -> 'app_metadata' ->> 'platform_role', '') IN ('platform_admin', 'customer_success')
        OR EXISTS (
            SELECT FROM public.user_profiles AS up
             WHERE up.user_id = auth.uid() AND up.organization_id = p_organization_id
               AND up.role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER'))
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.caller_sees_organization(uuid) FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.caller_sees_organization(uuid) IS
    'true when the caller may read rows of the organization: a trusted (non-API) caller, platform staff, or a member of it. SECURITY DEFINER: reads user_profiles';

-- A row's organization_id must equal the organization of its client (SPEC §2.2). SECURITY
-- DEFINER so that the check sees the client even where RLS on clients hides it from the caller
-- (otherwise a hidden client would look "missing" and the rule could be bypassed). An API caller
-- who cannot see the client's organization learns nothing about it: a consistent row goes on to
-- the policy's WITH CHECK; anything else (a client of another organization, one without an
-- organization, one that does not exist) gets exactly the policy's own 42501 message.
CREATE FUNCTION healthschema_private.enforce_client_organization()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = ''
AS $fn$
DECLARE
    client_org uuid;
    found_client boolean;
BEGIN
    SELECT c.organization_id INTO client_org
      FROM public.clients AS c
     WHERE c.id = NEW.client_id;
    found_client := FOUND;
    IF healthschema_private.caller_is_api_user()
       AND NOT (found_client AND client_org IS NOT NULL AND healthschema_private.caller_sees_organization(client_org)) THEN
        IF found_client AND client_org = NEW.organization_id THEN
            -- Consistent: the row's policy decides (its WITH CHECK rejects another tenant's org).
            RETURN NEW;
        END IF;
        -- Word for word what the policy's WITH CHECK says, so the two cannot be told apart.
        RAISE EXCEPTION 'new row violates row-level security policy for table "%"', TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT found_client THEN
        -- No such client: the foreign key reports it (SQLSTATE 23503).
        RETURN NEW;
    END IF;
    IF client_org IS NULL THEN
        RAISE EXCEPTION '%: client % has no organization, so it cannot have % rows',
                TG_TABLE_NAME, NEW.client_id, TG_TABLE_NAME
            USING ERRCODE = 'check_violation',
                  HINT = 'assign the client to an organization first';
    END IF;
    IF NEW.organization_id IS DISTINCT FROM client_org THEN
        RAISE EXCEPTION '%: organization_id % does not match organization % of client %',
                TG_TABLE_NAME, NEW.organization_id, client_org, NEW.client_id
            USING ERRCODE = 'check_violation',
                  HINT = 'set organization_id to the client''s organization';
    END IF;
    RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION healthschema_private.enforce_client_organization() FROM PUBLIC;
COMMENT ON FUNCTION healthschema_private.enforce_client_organization() IS
    'Trigger: rejects (SQLSTATE 23514) a row whose organization_id differs from its client''s organization, or whose client has none; an API caller who cannot see the client''s organization gets the row-level security policy''s own 42501 message instead (nothing about the client is revealed)';

CREATE TABLE public.milestone_templates (
    id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    template_key            varchar(60) NOT NULL,
    milestone_name          varchar(200) NOT NULL,
    milestone_description   text,
    milestone_type          varchar(50) NOT NULL,
    milestone_category      varchar(30) NOT NULL,
    priority                varchar(20) NOT NULL DEFAULT 'medium',
    due_anchor              varchar(20) NOT NULL DEFAULT 'client_created',
    due_offset_days         integer NOT NULL DEFAULT 0,
    prerequisite_keys       text[] NOT NULL DEFAULT '{}',
    is_critical_path        boolean NOT NULL DEFAULT false,
    health_score_impact     numeric(5,2) NOT NULL DEFAULT 0,
    engagement_score_impact numeric(5,2) NOT NULL DEFAULT 0,
    progress_score_impact   numeric(5,2) NOT NULL DEFAULT 0,
    is_active               boolean NOT NULL DEFAULT true,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT milestone_templates_template_key_key UNIQUE (template_key),
    CONSTRAINT milestone_templates_template_key_check CHECK (template_key ~ '^[a-z][a-z0-9_]*$'),
    CONSTRAINT milestone_templates_milestone_type_check CHECK (milestone_type IN ('onboarding', 'onboarding_complete', 'profile_complete', 'first_form', 'guest_list_complete', 'vendor_booking', 'venue_booked', 'budget_set', 'timeline_created', 'seating_plan', 'final_details', 'payment', 'review', 'custom')),
    CONSTRAINT milestone_templates_milestone_category_check CHECK (milestone_category IN ('onboarding', 'planning', 'vendor_management', 'guest_management', 'communication')),
    CONSTRAINT milestone_templates_priority_check CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT milestone_templates_due_anchor_check CHECK (due_anchor IN ('client_created', 'wedding_date')),
    CONSTRAINT milestone_templates_prerequisite_keys_check CHECK (coalesce(pg_catalog.array_ndims(prerequisite_keys), 1) = 1 AND pg_catalog.array_position(prerequisite_keys, NULL) IS NULL),
    CONSTRAINT milestone_templates_health_score_impact_check CHECK (health_score_impact BETWEEN -100 AND 100),
    CONSTRAINT milestone_templates_engagement_score_impact_check CHECK (engagement_score_impact BETWEEN -100 AND 100),
    CONSTRAINT milestone_templates_progress_score_impact_check CHECK (progress_score_impact BETWEEN -100 AND 100)
);
REVOKE ALL ON TABLE public.milestone_templates FROM PUBLIC, anon, authenticated, service_role;
ALTER TABLE public.milestone_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.milestone_templates FORCE ROW LEVEL SECURITY;
COMMENT ON INDEX public.milestone_templates_template_key_key IS
    'dashboard: a template by its key (prerequisite_keys, milestone new); rule: template keys are unique';
COMMENT ON TABLE public.milestone_templates IS
    'Catalogue of milestones instantiated for every client (one success_milestones row per client and active template)';
COMMENT ON COLUMN public.milestone_templates.template_key IS
    'Stable key (lower-case snake_case) used by prerequisite_keys and by `healthschema milestone new`';
COMMENT ON COLUMN public.milestone_templates.due_anchor IS
    'Target date rule: due_anchor date (client creation or wedding date) + due_offset_days';
COMMENT ON COLUMN public.milestone_templates.due_offset_days IS
    'Days after (positive) or before (negative) the due_anchor date';
COMMENT ON COLUMN public.milestone_templates.prerequisite_keys IS
    'template_key values of the milestones that must be completed or skipped first';
COMMENT ON COLUMN public.milestone_templates.is_active IS
    'Only active templates are instantiated for clients';
