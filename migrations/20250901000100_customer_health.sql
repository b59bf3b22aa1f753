-- Rendered by `healthschema render` from templates/health/20250901000100_customer_health.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- customer_health: one row per health calculation (history), SPEC §2.2. Column names are the
-- original design's (reference §2.1); every value set and range is a named CHECK; the current
-- snapshot of each client is the row with is_current (kept by the health triggers; at most one
-- per client, enforced by a partial unique index).
CREATE TABLE public.customer_health (
    id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id                    uuid NOT NULL
                                 REFERENCES public.clients (id) ON DELETE CASCADE,
    organization_id              uuid NOT NULL
                                 REFERENCES public.organizations (id) ON DELETE CASCADE,
    -- Scores (0-100)
    overall_health_score         numeric(5,2) NOT NULL DEFAULT 50.0,
    engagement_score             numeric(5,2) NOT NULL DEFAULT 50.0,
    progress_score               numeric(5,2) NOT NULL DEFAULT 50.0,
    satisfaction_score           numeric(5,2),
    churn_risk_score             numeric(5,2) NOT NULL DEFAULT 50.0,
    health_status                varchar(20) NOT NULL DEFAULT 'critical',
    is_current                   boolean NOT NULL DEFAULT false,
    -- Engagement
    last_login_at                timestamptz,
    total_logins                 integer DEFAULT 0,
    days_since_last_activity     integer DEFAULT 0,
    session_duration_avg_minutes numeric(10,2) DEFAULT 0,
    -- Usage
    features_used                jsonb DEFAULT '{}'::jsonb,
    form_completion_rate         numeric(5,2) DEFAULT 0,
    task_completion_rate         numeric(5,2) DEFAULT 0,
    -- Communication
    messages_sent                integer DEFAULT 0,
    messages_received            integer DEFAULT 0,
    response_rate                numeric(5,2) DEFAULT 0,
    -- Progress
    wedding_progress_percentage  numeric(5,2) DEFAULT 0,
    milestones_completed         integer DEFAULT 0,
    overdue_tasks                integer DEFAULT 0,
    -- Risk
    support_tickets_count        integer DEFAULT 0,
    payment_issues_count         integer DEFAULT 0,
    billing_status               varchar(20) DEFAULT 'active',
    -- Calculation metadata
    score_calculation_version    varchar(10) DEFAULT 'v1.0',
    factors_considered           jsonb DEFAULT '{}'::jsonb,
    calculated_at                timestamptz NOT NULL DEFAULT now(),
    created_at                   timestamptz NOT NULL DEFAULT now(),
    updated_at                   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT customer_health_overall_health_score_check CHECK (overall_health_score BETWEEN 0 AND 100),
    CONSTRAINT customer_health_engagement_score_check CHECK (engagement_score BETWEEN 0 AND 100),
    CONSTRAINT customer_health_progress_score_check CHECK (progress_score BETWEEN 0 AND 100),
    CONSTRAINT customer_health_satisfaction_score_check CHECK (satisfaction_score BETWEEN 0 AND 100),
    CONSTRAINT customer_health_churn_risk_score_check CHECK (churn_risk_score BETWEEN 0 AND 100),
    CONSTRAINT customer_health_form_completion_rate_check CHECK (form_completion_rate BETWEEN 0 AND 100),
    CONSTRAINT customer_health_task_completion_rate_check CHECK (task_completion_rate BETWEEN 0 AND 100),
    CONSTRAINT customer_health_response_rate_check CHECK (response_rate BETWEEN 0 AND 100),
    CONSTRAINT customer_health_wedding_progress_percentage_check CHECK (wedding_progress_percentage BETWEEN 0 AND 100),
    CONSTRAINT customer_health_total_logins_check CHECK (total_logins >= 0),
    CONSTRAINT customer_health_days_since_last_activity_check CHECK (days_since_last_activity >= 0),
    CONSTRAINT customer_health_session_duration_avg_minutes_check CHECK (session_duration_avg_minutes >= 0),
    CONSTRAINT customer_health_messages_sent_check CHECK (messages_sent >= 0),
    CONSTRAINT customer_health_messages_received_check CHECK (messages_received >= 0),
    CONSTRAINT customer_health_milestones_completed_check CHECK (milestones_completed >= 0),
    CONSTRAINT customer_health_overdue_tasks_check CHECK (overdue_tasks >= 0),
    CONSTRAINT customer_health_support_tickets_count_check CHECK (support_tickets_count >= 0),
    CONSTRAINT customer_health_payment_issues_count_check CHECK (payment_issues_count >= 0),
    CONSTRAINT customer_health_health_status_check CHECK (health_status IN ('excellent', 'good', 'at_risk', 'critical')),
    CONSTRAINT customer_health_billing_status_check CHECK (billing_status IN ('active', 'trialing', 'past_due', 'suspended', 'cancelled')),
    CONSTRAINT customer_health_features_used_check CHECK (pg_catalog.jsonb_typeof(features_used) = 'object'),
    CONSTRAINT customer_health_factors_considered_check CHECK (pg_catalog.jsonb_typeof(factors_considered) = 'object')
);

CREATE TRIGGER customer_health_enforce_client_organization
    BEFORE INSERT OR UPDATE OF client_id, organization_id ON public.customer_health
    FOR EACH ROW EXECUTE FUNCTION healthschema_private.enforce_client_organization();

-- Indexes (8 besides the primary key). Each names the dashboard question it answers.
CREATE UNIQUE INDEX customer_health_client_id_current_key
    ON public.customer_health (client_id) WHERE is_current;
COMMENT ON INDEX public.customer_health_client_id_current_key IS
    'dashboard: the current snapshot of a client; rule: at most one current snapshot per client';
CREATE INDEX customer_health_client_id_calculated_at_idx
    ON public.customer_health (client_id, calculated_at DESC);
COMMENT ON INDEX public.customer_health_client_id_calculated_at_idx IS
    'dashboard: health history of one client, newest first (trend chart); covers the client_id foreign key';
CREATE INDEX customer_health_org_id_calculated_at_idx
    ON public.customer_health (organization_id, calculated_at DESC) INCLUDE (overall_health_score);
COMMENT ON INDEX public.customer_health_org_id_calculated_at_idx IS
    'dashboard: health trend of an organization over a time range (index-only, also when RLS alone scopes it); covers the organization_id foreign key';
CREATE INDEX customer_health_org_id_overall_health_score_current_idx
    ON public.customer_health (organization_id, overall_health_score) INCLUDE (health_status, churn_risk_score) WHERE is_current;
COMMENT ON INDEX public.customer_health_org_id_overall_health_score_current_idx IS
    'dashboard: at-risk clients of an org, lowest current score first; the organization summary (index-only)';
CREATE INDEX customer_health_org_id_days_since_last_activity_current_idx
    ON public.customer_health (organization_id, days_since_last_activity DESC) WHERE is_current;
COMMENT ON INDEX public.customer_health_org_id_days_since_last_activity_current_idx IS
    'dashboard: inactive clients of an org, longest inactivity first (current snapshots)';
CREATE INDEX customer_health_overall_health_score_current_idx
    ON public.customer_health (overall_health_score) INCLUDE (health_status, organization_id, client_id) WHERE is_current;
COMMENT ON INDEX public.customer_health_overall_health_score_current_idx IS
    'dashboard: platform-wide lowest current scores and clients in a health status (critical first), platform overview by status (index-only under RLS)';
CREATE INDEX customer_health_churn_risk_score_current_idx
    ON public.customer_health (churn_risk_score DESC) INCLUDE (organization_id, client_id) WHERE is_current;
COMMENT ON INDEX public.customer_health_churn_risk_score_current_idx IS
    'dashboard: platform-wide clients most likely to churn, highest current churn risk first (index-only under RLS)';
CREATE INDEX customer_health_features_used_current_idx
    ON public.customer_health USING gin (features_used) WHERE is_current;
COMMENT ON INDEX public.customer_health_features_used_current_idx IS
    'dashboard: clients whose current snapshot uses a feature (features_used ? ''seating_chart''); current snapshots only, not the history';

COMMENT ON TABLE public.customer_health IS
    'One row per health calculation of a client (history); the client''s current snapshot has is_current';
COMMENT ON COLUMN public.customer_health.overall_health_score IS
    'Weighted combination of the dimension scores (weights in health_score_config), 0-100';
COMMENT ON COLUMN public.customer_health.churn_risk_score IS
    '0-100; higher means more likely to churn (counts as 100 - churn_risk_score in the overall score)';
COMMENT ON COLUMN public.customer_health.satisfaction_score IS
    '0-100, NULL when there is no satisfaction rating yet';
COMMENT ON COLUMN public.customer_health.health_status IS
    'excellent | good | at_risk | critical, from overall_health_score and the thresholds in health_score_config';
COMMENT ON COLUMN public.customer_health.is_current IS
    'true on the latest snapshot of the client (at most one per client); kept by the health triggers';
COMMENT ON COLUMN public.customer_health.features_used IS
    'JSON object {feature: usage count}';
COMMENT ON COLUMN public.customer_health.billing_status IS
    'active | trialing | past_due | suspended | cancelled';
COMMENT ON COLUMN public.customer_health.factors_considered IS
    'JSON object: the inputs and formula version of this calculation';
COMMENT ON COLUMN public.customer_health.calculated_at IS
    'When the score was calculated; the latest per client is the current snapshot';
