-- Rendered by `healthschema render` from templates/health/20250901000900_row_level_security.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Removes exactly what 20250901000900_row_level_security created: the policies, RLS, the grants
-- to the API roles and the membership helpers.
DROP POLICY customer_health_select ON public.customer_health;
DROP POLICY success_milestones_select ON public.success_milestones;
DROP POLICY success_milestones_insert ON public.success_milestones;
DROP POLICY success_milestones_update ON public.success_milestones;
DROP POLICY success_milestones_delete ON public.success_milestones;
DROP POLICY support_interactions_select ON public.support_interactions;
DROP POLICY support_interactions_insert ON public.support_interactions;
DROP POLICY support_interactions_update ON public.support_interactions;
DROP POLICY support_interactions_delete ON public.support_interactions;
DROP POLICY milestone_templates_select ON public.milestone_templates;
DROP POLICY milestone_templates_insert ON public.milestone_templates;
DROP POLICY milestone_templates_update ON public.milestone_templates;
DROP POLICY milestone_templates_delete ON public.milestone_templates;
DROP POLICY health_score_config_select ON public.health_score_config;
DROP POLICY health_score_config_insert ON public.health_score_config;
DROP POLICY health_score_config_update ON public.health_score_config;
DROP POLICY health_score_config_delete ON public.health_score_config;
DROP POLICY sla_targets_select ON public.sla_targets;
DROP POLICY sla_targets_insert ON public.sla_targets;
DROP POLICY sla_targets_update ON public.sla_targets;
DROP POLICY sla_targets_delete ON public.sla_targets;

ALTER TABLE public.customer_health NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.customer_health DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.customer_health FROM authenticated, service_role;
ALTER TABLE public.success_milestones NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.success_milestones DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.success_milestones FROM authenticated, service_role;
ALTER TABLE public.support_interactions NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.support_interactions DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.support_interactions FROM authenticated, service_role;
ALTER TABLE public.milestone_templates NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.milestone_templates DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.milestone_templates FROM authenticated, service_role;
ALTER TABLE public.health_score_config NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.health_score_config DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.health_score_config FROM authenticated, service_role;
ALTER TABLE public.sla_targets NO FORCE ROW LEVEL SECURITY;
ALTER TABLE public.sla_targets DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON TABLE public.sla_targets FROM authenticated, service_role;

DROP FUNCTION healthschema_private.admin_or_staff_organization_ids();
DROP FUNCTION healthschema_private.member_or_staff_organization_ids();
DROP FUNCTION healthschema_private.platform_role();
DROP FUNCTION healthschema_private.admin_organization_ids();
DROP FUNCTION healthschema_private.member_organization_ids();
