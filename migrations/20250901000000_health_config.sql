-- Rendered by `healthschema render` from templates/health/20250901000000_health_config.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Configuration the health schema reads: health-score weights and status thresholds, and
-- support SLA targets per priority. Seeded from healthschema.toml [variables].
CREATE TABLE public.health_score_config (
    id                boolean PRIMARY KEY DEFAULT true,
    weight_engagement numeric(4,3) NOT NULL,
    weight_progress   numeric(4,3) NOT NULL,
    weight_satisfaction numeric(4,3) NOT NULL,
    weight_churn_risk numeric(4,3) NOT NULL,
    threshold_excellent numeric(5,2) NOT NULL,
    threshold_good    numeric(5,2) NOT NULL,
    threshold_at_risk numeric(5,2) NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT health_score_config_single_row CHECK (id),
    CONSTRAINT health_score_config_weights_range CHECK (
        weight_engagement BETWEEN 0 AND 1 AND weight_progress BETWEEN 0 AND 1
        AND weight_satisfaction BETWEEN 0 AND 1 AND weight_churn_risk BETWEEN 0 AND 1),
    CONSTRAINT health_score_config_weights_sum CHECK (
        weight_engagement + weight_progress + weight_satisfaction + weight_churn_risk = 1),
    -- A snapshot without satisfaction re-normalises the other three weights: they must not all be 0.
    CONSTRAINT health_score_config_satisfaction_below_one CHECK (weight_satisfaction < 1),
    CONSTRAINT health_score_config_thresholds_order CHECK (
        0 <= threshold_at_risk AND threshold_at_risk <= threshold_good
        AND threshold_good <= threshold_excellent AND threshold_excellent <= 100)
);
REVOKE ALL ON TABLE public.health_score_config FROM PUBLIC, anon, authenticated, service_role;
ALTER TABLE public.health_score_config ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.health_score_config FORCE ROW LEVEL SECURITY;
COMMENT ON TABLE public.health_score_config IS
    'One row: weights of overall_health_score = e*engagement + p*progress + s*satisfaction + c*(100 - churn_risk) (satisfaction NULL: the other weights are re-normalised), and health_status thresholds; see docs/formulas.md';

INSERT INTO public.health_score_config (
    weight_engagement, weight_progress, weight_satisfaction, weight_churn_risk,
    threshold_excellent, threshold_good, threshold_at_risk
) VALUES (
    0.35, 0.25, 0.2, 0.2,
    80, 60, 40
);

CREATE TABLE public.sla_targets (
    priority         varchar(20) PRIMARY KEY,
    response_hours   integer NOT NULL,
    resolution_hours integer NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sla_targets_priority_check CHECK (priority IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT sla_targets_response_positive CHECK (response_hours > 0),
    CONSTRAINT sla_targets_resolution_after_response CHECK (resolution_hours >= response_hours)
);
REVOKE ALL ON TABLE public.sla_targets FROM PUBLIC, anon, authenticated, service_role;
ALTER TABLE public.sla_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.sla_targets FORCE ROW LEVEL SECURITY;
COMMENT ON TABLE public.sla_targets IS
    'Support SLA targets per priority, used when an interaction does not supply its own';

INSERT INTO public.sla_targets (priority, response_hours, resolution_hours) VALUES
    ('critical', 2, 24),
    ('high', 4, 48),
    ('low', 24, 120),
    ('medium', 12, 72);
