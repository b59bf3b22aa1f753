-- Named statements of healthschema's policy_check module: each `-- name:` line starts one.

-- name: as
-- Impersonate a persona the way PostgREST does: the role and the JWT claims, transaction-local.
SELECT pg_catalog.set_config('role', %(role)s, true),
       pg_catalog.set_config('request.jwt.claims', %(claims)s, true)

-- name: delete
DELETE FROM {schema}.{table} WHERE {key} = %(key)s RETURNING 1

-- name: discard_plans
-- Forget cached plans and PL/pgSQL expression states built earlier in this transaction (e.g. by the
-- fixture, as the owner): a real API request starts fresh, so privileges must be checked again.
DISCARD PLANS

-- name: insert_customer_health
INSERT INTO {schema}.customer_health (id, client_id, organization_id)
VALUES (%(key)s, %(client_id)s, %(organization_id)s)
RETURNING 1

-- name: insert_health_score_config
INSERT INTO {schema}.health_score_config
    (id, weight_engagement, weight_progress, weight_satisfaction, weight_churn_risk,
     threshold_excellent, threshold_good, threshold_at_risk)
VALUES (%(key)s, 0.25, 0.25, 0.25, 0.25, 80, 60, 40)
RETURNING 1

-- name: insert_milestone_templates
INSERT INTO {schema}.milestone_templates
    (id, template_key, milestone_name, milestone_type, milestone_category, is_active)
VALUES (%(key)s, %(template_key)s, 'policy-check insert', 'custom', 'planning', false)
RETURNING 1

-- name: insert_sla_targets
INSERT INTO {schema}.sla_targets (priority, response_hours, resolution_hours)
VALUES (%(key)s, 24, 120)
RETURNING 1

-- name: insert_success_milestones
INSERT INTO {schema}.success_milestones
    (id, client_id, organization_id, milestone_type, milestone_category, milestone_name)
VALUES (%(key)s, %(client_id)s, %(organization_id)s, 'custom', 'planning', 'policy-check insert')
RETURNING 1

-- name: insert_support_interactions
INSERT INTO {schema}.support_interactions
    (id, client_id, organization_id, interaction_type, interaction_category, interaction_method, subject, priority)
VALUES (%(key)s, %(client_id)s, %(organization_id)s, 'health_check', 'success', 'email', 'policy-check insert', 'medium')
RETURNING 1

-- name: move
-- Move a row into another organization (with that organization's client, so that only RLS decides).
UPDATE {schema}.{table}
   SET organization_id = %(organization_id)s, client_id = %(client_id)s
 WHERE {key} = %(key)s
RETURNING 1

-- name: prepare_health_score_config
-- Make room for the INSERT cell (single-row table); undone with the cell's savepoint.
DELETE FROM {schema}.health_score_config WHERE id = %(key)s

-- name: prepare_sla_targets
-- Make room for the INSERT cell (one row per priority); undone with the cell's savepoint.
DELETE FROM {schema}.sla_targets WHERE priority = %(key)s

-- name: reset
-- Back to the connecting (owner) role, without JWT claims.
SELECT pg_catalog.set_config('role', 'none', true),
       pg_catalog.set_config('request.jwt.claims', '', true)

-- name: select
SELECT 1 FROM {schema}.{table} WHERE {key} = %(key)s

-- name: snapshot
-- The row as the owner sees it (compared before and after a filtered or denied write).
SELECT pg_catalog.to_jsonb(t) FROM {schema}.{table} AS t WHERE t.{key} = %(key)s

-- name: update
-- A real UPDATE (a new row version, triggers fire) that changes no value.
UPDATE {schema}.{table} SET {key} = {key} WHERE {key} = %(key)s RETURNING 1
