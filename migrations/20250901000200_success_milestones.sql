-- Rendered by `healthschema render` from templates/health/20250901000200_success_milestones.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- success_milestones: milestones per client (SPEC §2.2). Column names are the original
-- design's (reference §2.2); every value set and range is a named CHECK. The lifecycle
-- timestamps (started_at, completed_at, actual_completion_date, progress on completion and
-- reopening) are filled by the milestone triggers BEFORE the row is checked.
CREATE TABLE public.success_milestones (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id                  uuid NOT NULL
                               REFERENCES public.clients (id) ON DELETE CASCADE,
    organization_id            uuid NOT NULL
                               REFERENCES public.organizations (id) ON DELETE CASCADE,
    -- Details
    milestone_type             varchar(50) NOT NULL,
    milestone_category         varchar(30) NOT NULL,
    milestone_name             varchar(200) NOT NULL,
    milestone_description      text,
    -- Status
    status                     varchar(20) NOT NULL DEFAULT 'pending',
    priority                   varchar(20) NOT NULL DEFAULT 'medium',
    -- Progress
    progress_percentage        numeric(5,2) NOT NULL DEFAULT 0,
    target_completion_date     date,
    actual_completion_date     date,
    estimated_hours            numeric(5,2),
    actual_hours               numeric(5,2),
    -- Impact on the health scores (signed)
    health_score_impact        numeric(5,2) DEFAULT 0,
    engagement_score_impact    numeric(5,2) DEFAULT 0,
    progress_score_impact      numeric(5,2) DEFAULT 0,
    -- Wedding context
    wedding_date               date,
    days_until_wedding         integer,
    is_critical_path           boolean DEFAULT false,
    -- Dependencies
    prerequisite_milestone_ids uuid[],
    dependent_milestone_ids    uuid[],
    -- Automation
    auto_generated             boolean DEFAULT false,
    trigger_conditions         jsonb DEFAULT '{}'::jsonb,
    completion_triggers        jsonb DEFAULT '{}'::jsonb,
    -- Assignment
    assigned_user_id           uuid REFERENCES auth.users (id) ON DELETE SET NULL,
    assigned_team              varchar(50),
    requires_supplier_action   boolean DEFAULT false,
    supplier_dependencies      text[],
    -- Metadata
    milestone_version          varchar(10) DEFAULT 'v1.0',
    template_id                uuid REFERENCES public.milestone_templates (id) ON DELETE SET NULL,
    custom_fields              jsonb DEFAULT '{}'::jsonb,
    notes                      text,
    -- Timestamps
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    started_at                 timestamptz,
    completed_at               timestamptz,
    CONSTRAINT success_milestones_milestone_type_check CHECK (milestone_type IN ('onboarding', 'onboarding_complete', 'profile_complete', 'first_form', 'guest_list_complete', 'vendor_booking', 'venue_booked', 'budget_set', 'timeline_created', 'seating_plan', 'final_details', 'payment', 'review', 'custom')),
    CONSTRAINT success_milestones_milestone_category_check CHECK (milestone_category IN ('onboarding', 'planning', 'vendor_management', 'guest_management', 'communication')),
    CONSTRAINT success_milestones_status_check CHECK (status IN ('pending', 'in_progress', 'completed', 'skipped')),
    CONSTRAINT success_milestones_priority_check CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT success_milestones_assigned_team_check CHECK (assigned_team IN ('customer_success', 'support', 'sales', 'technical')),
    CONSTRAINT success_milestones_progress_percentage_check CHECK (progress_percentage BETWEEN 0 AND 100),
    CONSTRAINT success_milestones_estimated_hours_check CHECK (estimated_hours >= 0),
    CONSTRAINT success_milestones_actual_hours_check CHECK (actual_hours >= 0),
    CONSTRAINT success_milestones_health_score_impact_check CHECK (health_score_impact BETWEEN -100 AND 100),
    CONSTRAINT success_milestones_engagement_score_impact_check CHECK (engagement_score_impact BETWEEN -100 AND 100),
    CONSTRAINT success_milestones_progress_score_impact_check CHECK (progress_score_impact BETWEEN -100 AND 100),
    CONSTRAINT success_milestones_prerequisite_milestone_ids_check CHECK (coalesce(pg_catalog.array_ndims(prerequisite_milestone_ids), 1) = 1 AND pg_catalog.array_position(prerequisite_milestone_ids, NULL) IS NULL),
    CONSTRAINT success_milestones_dependent_milestone_ids_check CHECK (coalesce(pg_catalog.array_ndims(dependent_milestone_ids), 1) = 1 AND pg_catalog.array_position(dependent_milestone_ids, NULL) IS NULL),
    CONSTRAINT success_milestones_supplier_dependencies_check CHECK (coalesce(pg_catalog.array_ndims(supplier_dependencies), 1) = 1 AND pg_catalog.array_position(supplier_dependencies, NULL) IS NULL),
    CONSTRAINT success_milestones_trigger_conditions_check CHECK (pg_catalog.jsonb_typeof(trigger_conditions) = 'object'),
    CONSTRAINT success_milestones_completion_triggers_check CHECK (pg_catalog.jsonb_typeof(completion_triggers) = 'object'),
    CONSTRAINT success_milestones_custom_fields_check CHECK (pg_catalog.jsonb_typeof(custom_fields) = 'object'),
    -- A completed milestone has progress 100 and both completion dates. Nothing is required of
    -- other statuses, so reopening a completed milestone is possible (reference §11.7).
    CONSTRAINT success_milestones_completion_check CHECK (
        status <> 'completed'
        OR (progress_percentage = 100 AND completed_at IS NOT NULL AND actual_completion_date IS NOT NULL))
);

CREATE TRIGGER success_milestones_enforce_client_organization
    BEFORE INSERT OR UPDATE OF client_id, organization_id ON public.success_milestones
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.enforce_client_organization();

-- Indexes (11 besides the primary key). Each names the dashboard question it answers.
CREATE INDEX success_milestones_client_id_target_completion_date_idx
    ON public.success_milestones (client_id, target_completion_date);
COMMENT ON INDEX public.success_milestones_client_id_target_completion_date_idx IS
    'dashboard: milestone timeline of one client by target date; covers the client_id foreign key';
CREATE UNIQUE INDEX success_milestones_template_id_client_id_key
    ON public.success_milestones (template_id, client_id);
COMMENT ON INDEX public.success_milestones_template_id_client_id_key IS
    'dashboard: clients lacking or holding a template''s milestone; rule: one milestone per template and client; covers the template_id foreign key';
CREATE INDEX success_milestones_org_id_status_priority_idx
    ON public.success_milestones (organization_id, status, priority);
COMMENT ON INDEX public.success_milestones_org_id_status_priority_idx IS
    'dashboard: milestones of an org by status and priority (counts per status); covers the organization_id foreign key';
CREATE INDEX success_milestones_assigned_user_id_status_idx
    ON public.success_milestones (assigned_user_id, status);
COMMENT ON INDEX public.success_milestones_assigned_user_id_status_idx IS
    'dashboard: my milestones by status (assignee view); covers the assigned_user_id foreign key';
CREATE INDEX success_milestones_org_id_target_completion_date_open_idx
    ON public.success_milestones (organization_id, target_completion_date) INCLUDE (id, client_id, milestone_type) WHERE status IN ('pending', 'in_progress');
COMMENT ON INDEX public.success_milestones_org_id_target_completion_date_open_idx IS
    'dashboard: overdue or due-soon open milestones of an org, earliest target date first';
CREATE INDEX success_milestones_target_completion_date_open_idx
    ON public.success_milestones (target_completion_date) INCLUDE (id, organization_id, client_id, milestone_type) WHERE status IN ('pending', 'in_progress');
COMMENT ON INDEX public.success_milestones_target_completion_date_open_idx IS
    'dashboard: platform-wide overdue open milestones, earliest target date first (index-only under RLS)';
CREATE INDEX success_milestones_wedding_date_critical_open_idx
    ON public.success_milestones (wedding_date) INCLUDE (id, organization_id, client_id, milestone_type, target_completion_date)
    WHERE is_critical_path AND status IN ('pending', 'in_progress');
COMMENT ON INDEX public.success_milestones_wedding_date_critical_open_idx IS
    'dashboard: open critical-path milestones of the nearest weddings (index-only under RLS)';
CREATE INDEX success_milestones_milestone_type_status_idx
    ON public.success_milestones (milestone_type, status) INCLUDE (organization_id);
COMMENT ON INDEX public.success_milestones_milestone_type_status_idx IS
    'dashboard: completion funnel per milestone type (how many clients reached each milestone; index-only under RLS)';
CREATE INDEX success_milestones_org_id_completed_at_completed_idx
    ON public.success_milestones (organization_id, completed_at DESC) WHERE status = 'completed';
COMMENT ON INDEX public.success_milestones_org_id_completed_at_completed_idx IS
    'dashboard: recently completed milestones of an org, newest first';
CREATE INDEX success_milestones_prerequisite_milestone_ids_idx
    ON public.success_milestones USING gin (prerequisite_milestone_ids);
COMMENT ON INDEX public.success_milestones_prerequisite_milestone_ids_idx IS
    'dashboard: milestones blocked by a given milestone (prerequisite_milestone_ids @> ARRAY[id])';
CREATE INDEX success_milestones_trigger_conditions_idx
    ON public.success_milestones USING gin (trigger_conditions jsonb_path_ops);
COMMENT ON INDEX public.success_milestones_trigger_conditions_idx IS
    'dashboard: milestones whose automation trigger_conditions match an event (trigger_conditions @> ''{"event": ...}'')';

COMMENT ON TABLE public.success_milestones IS
    'Success milestones per client: status, progress, target dates, health-score impacts, prerequisites, automation, assignment';
COMMENT ON COLUMN public.success_milestones.status IS 'pending | in_progress | completed | skipped';
COMMENT ON COLUMN public.success_milestones.priority IS 'low | medium | high | critical';
COMMENT ON COLUMN public.success_milestones.progress_percentage IS
    '0-100; 100 when completed (set by the trigger); reopening lowers it again';
COMMENT ON COLUMN public.success_milestones.days_until_wedding IS
    'wedding_date - current_date in days, kept by the trigger (negative after the wedding)';
COMMENT ON COLUMN public.success_milestones.prerequisite_milestone_ids IS
    'Milestones of the same client that must be completed or skipped before this one starts or completes';
COMMENT ON COLUMN public.success_milestones.assigned_user_id IS
    'auth.users.id of the assignee (NULL when that user is deleted)';
COMMENT ON COLUMN public.success_milestones.template_id IS
    'milestone_templates row this milestone was instantiated from (NULL for hand-made milestones or deleted templates)';
COMMENT ON COLUMN public.success_milestones.trigger_conditions IS
    'JSON object: automation conditions that start or complete this milestone';
