-- Rendered by `healthschema render` from templates/health/20250901000300_support_interactions.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- support_interactions: customer-success interventions (SPEC §2.2). Column names are the
-- original design's (reference §2.3); every value set and range is a named CHECK. The SLA
-- targets are NULL unless supplied (the SLA trigger then takes them from sla_targets), and the
-- due timestamps are stored so that breaches are indexable.
CREATE TABLE public.support_interactions (
    id                            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id                     uuid NOT NULL
                                  REFERENCES public.clients (id) ON DELETE CASCADE,
    organization_id               uuid NOT NULL
                                  REFERENCES public.organizations (id) ON DELETE CASCADE,
    -- Classification
    interaction_type              varchar(50) NOT NULL,
    interaction_category          varchar(30) NOT NULL,
    interaction_method            varchar(30) NOT NULL,
    -- Trigger context
    trigger_event                 varchar(100),
    trigger_threshold             jsonb,
    health_score_at_interaction   numeric(5,2),
    churn_risk_level              varchar(20),
    -- Details
    subject                       varchar(300) NOT NULL,
    description                   text,
    interaction_data              jsonb DEFAULT '{}'::jsonb,
    -- Priority
    priority                      varchar(20) NOT NULL DEFAULT 'medium',
    urgency                       varchar(20) NOT NULL DEFAULT 'medium',
    -- Ownership
    assigned_user_id              uuid REFERENCES auth.users (id) ON DELETE SET NULL,
    assigned_team                 varchar(50),
    escalation_level              integer DEFAULT 0,
    -- Status
    status                        varchar(30) NOT NULL DEFAULT 'open',
    resolution_type               varchar(50),
    -- Times
    created_at                    timestamptz NOT NULL DEFAULT now(),
    updated_at                    timestamptz NOT NULL DEFAULT now(),
    first_response_at             timestamptz,
    resolved_at                   timestamptz,
    closed_at                     timestamptz,
    -- SLA (targets NULL = take them from sla_targets by priority)
    sla_target_response_hours     integer,
    sla_target_resolution_hours   integer,
    sla_response_met              boolean,
    sla_resolution_met            boolean,
    sla_response_due_at           timestamptz,
    sla_resolution_due_at         timestamptz,
    -- Customer
    customer_contacted            boolean DEFAULT false,
    customer_response_received    boolean DEFAULT false,
    customer_satisfaction_rating  integer,
    customer_feedback             text,
    -- Outcome
    outcome_category              varchar(50),
    resolution_notes              text,
    follow_up_required            boolean DEFAULT false,
    follow_up_date                date,
    -- Impact (signed)
    health_score_impact_predicted numeric(5,2),
    health_score_impact_actual    numeric(5,2),
    engagement_impact             numeric(5,2),
    satisfaction_impact           numeric(5,2),
    -- Related records
    related_milestone_id          uuid REFERENCES public.success_milestones (id) ON DELETE SET NULL,
    related_support_ticket_id     varchar(50),
    related_interaction_ids       uuid[],
    -- AI
    auto_generated                boolean DEFAULT false,
    ai_sentiment_score            numeric(5,2),
    ai_suggested_actions          jsonb DEFAULT '{}'::jsonb,
    ai_risk_assessment            jsonb DEFAULT '{}'::jsonb,
    -- Communication
    messages_sent                 integer DEFAULT 0,
    messages_received             integer DEFAULT 0,
    total_touchpoints             integer DEFAULT 1,
    communication_preferences     jsonb DEFAULT '{}'::jsonb,
    -- Metadata
    interaction_version           varchar(10) DEFAULT 'v1.0',
    tags                          text[],
    custom_fields                 jsonb DEFAULT '{}'::jsonb,
    CONSTRAINT support_interactions_interaction_type_check CHECK (interaction_type IN ('proactive_outreach', 'support_ticket', 'health_check', 'churn_prevention', 'onboarding_assistance')),
    CONSTRAINT support_interactions_interaction_category_check CHECK (interaction_category IN ('support', 'success', 'sales', 'technical', 'billing')),
    CONSTRAINT support_interactions_interaction_method_check CHECK (interaction_method IN ('email', 'phone', 'chat', 'in_app', 'video_call', 'automated')),
    CONSTRAINT support_interactions_churn_risk_level_check CHECK (churn_risk_level IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT support_interactions_priority_check CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT support_interactions_urgency_check CHECK (urgency IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT support_interactions_assigned_team_check CHECK (assigned_team IN ('customer_success', 'support', 'sales', 'technical')),
    CONSTRAINT support_interactions_status_check CHECK (status IN ('open', 'in_progress', 'pending_customer', 'resolved', 'closed', 'escalated')),
    CONSTRAINT support_interactions_health_score_at_interaction_check CHECK (health_score_at_interaction BETWEEN 0 AND 100),
    CONSTRAINT support_interactions_escalation_level_check CHECK (escalation_level BETWEEN 0 AND 5),
    CONSTRAINT support_interactions_customer_satisfaction_rating_check CHECK (customer_satisfaction_rating BETWEEN 1 AND 5),
    CONSTRAINT support_interactions_ai_sentiment_score_check CHECK (ai_sentiment_score BETWEEN -100 AND 100),
    CONSTRAINT support_interactions_health_score_impact_predicted_check CHECK (health_score_impact_predicted BETWEEN -100 AND 100),
    CONSTRAINT support_interactions_health_score_impact_actual_check CHECK (health_score_impact_actual BETWEEN -100 AND 100),
    CONSTRAINT support_interactions_engagement_impact_check CHECK (engagement_impact BETWEEN -100 AND 100),
    CONSTRAINT support_interactions_satisfaction_impact_check CHECK (satisfaction_impact BETWEEN -100 AND 100),
    CONSTRAINT support_interactions_messages_sent_check CHECK (messages_sent >= 0),
    CONSTRAINT support_interactions_messages_received_check CHECK (messages_received >= 0),
    CONSTRAINT support_interactions_total_touchpoints_check CHECK (total_touchpoints >= 0),
    CONSTRAINT support_interactions_sla_target_response_hours_check CHECK (sla_target_response_hours > 0),
    CONSTRAINT support_interactions_sla_target_resolution_hours_check CHECK (sla_target_resolution_hours > 0),
    CONSTRAINT support_interactions_related_interaction_ids_check CHECK (coalesce(pg_catalog.array_ndims(related_interaction_ids), 1) = 1 AND pg_catalog.array_position(related_interaction_ids, NULL) IS NULL),
    CONSTRAINT support_interactions_tags_check CHECK (coalesce(pg_catalog.array_ndims(tags), 1) = 1 AND pg_catalog.array_position(tags, NULL) IS NULL),
    CONSTRAINT support_interactions_interaction_data_check CHECK (pg_catalog.jsonb_typeof(interaction_data) = 'object'),
    CONSTRAINT support_interactions_ai_risk_assessment_check CHECK (pg_catalog.jsonb_typeof(ai_risk_assessment) = 'object'),
    CONSTRAINT support_interactions_communication_preferences_check CHECK (pg_catalog.jsonb_typeof(communication_preferences) = 'object'),
    CONSTRAINT support_interactions_custom_fields_check CHECK (pg_catalog.jsonb_typeof(custom_fields) = 'object'),
    -- The resolution target cannot come before the response target.
    CONSTRAINT support_interactions_sla_targets_check CHECK (
        sla_target_resolution_hours >= sla_target_response_hours),
    -- A resolved or closed interaction has resolved_at. The SLA trigger fills it (BEFORE the
    -- row is checked) when the status is set, also on insert (reference §11.6); reopening
    -- (back to open) is allowed.
    CONSTRAINT support_interactions_resolution_check CHECK (
        status NOT IN ('resolved', 'closed') OR resolved_at IS NOT NULL)
);

CREATE TRIGGER support_interactions_enforce_client_organization
    BEFORE INSERT OR UPDATE OF client_id, organization_id ON public.support_interactions
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.enforce_client_organization();

-- Indexes (9 besides the primary key). Each names the dashboard question it answers.
-- "Open" = status IN ('open', 'in_progress', 'pending_customer', 'escalated').
CREATE INDEX support_interactions_client_id_created_at_idx
    ON public.support_interactions (client_id, created_at DESC);
COMMENT ON INDEX public.support_interactions_client_id_created_at_idx IS
    'dashboard: interaction history of one client, newest first; covers the client_id foreign key';
CREATE INDEX support_interactions_org_id_created_at_idx
    ON public.support_interactions (organization_id, created_at DESC);
COMMENT ON INDEX public.support_interactions_org_id_created_at_idx IS
    'dashboard: recent interactions of an org, newest first; covers the organization_id foreign key';
CREATE INDEX support_interactions_assigned_user_id_status_idx
    ON public.support_interactions (assigned_user_id, status);
COMMENT ON INDEX public.support_interactions_assigned_user_id_status_idx IS
    'dashboard: my interactions by status (assignee queue); covers the assigned_user_id foreign key';
CREATE INDEX support_interactions_related_milestone_id_idx
    ON public.support_interactions (related_milestone_id);
COMMENT ON INDEX public.support_interactions_related_milestone_id_idx IS
    'dashboard: interactions about a milestone; covers the related_milestone_id foreign key';
CREATE INDEX support_interactions_org_id_priority_open_idx
    ON public.support_interactions (organization_id, priority, created_at) WHERE status IN ('open', 'in_progress', 'pending_customer', 'escalated');
COMMENT ON INDEX public.support_interactions_org_id_priority_open_idx IS
    'dashboard: open interactions of an org by priority, oldest first';
CREATE INDEX support_interactions_sla_response_due_at_open_idx
    ON public.support_interactions (sla_response_due_at)
    INCLUDE (id, organization_id, assigned_user_id, client_id, priority) WHERE first_response_at IS NULL AND status IN ('open', 'in_progress', 'pending_customer', 'escalated');
COMMENT ON INDEX public.support_interactions_sla_response_due_at_open_idx IS
    'dashboard: open interactions without a first response whose response SLA is breached or about to be (index-only under RLS)';
CREATE INDEX support_interactions_sla_resolution_due_at_open_idx
    ON public.support_interactions (sla_resolution_due_at)
    INCLUDE (id, organization_id, assigned_user_id, client_id, priority) WHERE status IN ('open', 'in_progress', 'pending_customer', 'escalated');
COMMENT ON INDEX public.support_interactions_sla_resolution_due_at_open_idx IS
    'dashboard: open interactions whose resolution SLA is breached or about to be (index-only under RLS)';
CREATE INDEX support_interactions_assigned_team_priority_open_idx
    ON public.support_interactions (assigned_team, priority) INCLUDE (organization_id, assigned_user_id) WHERE status IN ('open', 'in_progress', 'pending_customer', 'escalated');
COMMENT ON INDEX public.support_interactions_assigned_team_priority_open_idx IS
    'dashboard: open workload of a team by priority (index-only under RLS)';
CREATE INDEX support_interactions_tags_idx
    ON public.support_interactions USING gin (tags);
COMMENT ON INDEX public.support_interactions_tags_idx IS
    'dashboard: interactions carrying a tag (tags @> ARRAY[''billing''])';

COMMENT ON TABLE public.support_interactions IS
    'Customer-success interventions: classification, assignment and escalation, status, SLA, satisfaction, outcome, AI fields';
COMMENT ON COLUMN public.support_interactions.status IS
    'open | in_progress | pending_customer | resolved | closed | escalated';
COMMENT ON COLUMN public.support_interactions.escalation_level IS '0 (none) to 5';
COMMENT ON COLUMN public.support_interactions.customer_satisfaction_rating IS '1 (worst) to 5 (best)';
COMMENT ON COLUMN public.support_interactions.ai_sentiment_score IS '-100 (negative) to 100 (positive)';
COMMENT ON COLUMN public.support_interactions.sla_target_response_hours IS
    'Hours to the first response; NULL on insert = take it from sla_targets by priority';
COMMENT ON COLUMN public.support_interactions.sla_target_resolution_hours IS
    'Hours to resolution; NULL on insert = take it from sla_targets by priority';
COMMENT ON COLUMN public.support_interactions.sla_response_due_at IS
    'created_at + sla_target_response_hours (stored so that breaches are indexable)';
COMMENT ON COLUMN public.support_interactions.sla_resolution_due_at IS
    'created_at + sla_target_resolution_hours (stored so that breaches are indexable)';
COMMENT ON COLUMN public.support_interactions.assigned_user_id IS
    'auth.users.id of the assignee (NULL when that user is deleted)';
COMMENT ON COLUMN public.support_interactions.related_milestone_id IS
    'The milestone this interaction is about (NULL when it is deleted)';
