-- Rendered by `healthschema render` from templates/health/20250901000500_health_triggers.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TRIGGER support_interactions_sla ON public.support_interactions;
DROP TRIGGER success_milestones_forget_deleted ON public.success_milestones;
DROP TRIGGER success_milestones_link_dependents_update ON public.success_milestones;
DROP TRIGGER success_milestones_check_inserted ON public.success_milestones;
DROP TRIGGER success_milestones_lifecycle ON public.success_milestones;
DROP TRIGGER customer_health_immutable ON public.customer_health;
DROP TRIGGER customer_health_score ON public.customer_health;
DROP TRIGGER customer_health_set_updated_at ON public.customer_health;
DROP TRIGGER success_milestones_set_updated_at ON public.success_milestones;
DROP TRIGGER support_interactions_set_updated_at ON public.support_interactions;
DROP TRIGGER milestone_templates_set_updated_at ON public.milestone_templates;
DROP TRIGGER health_score_config_set_updated_at ON public.health_score_config;
DROP TRIGGER sla_targets_set_updated_at ON public.sla_targets;
DROP FUNCTION healthschema_private.support_interaction_sla();
DROP FUNCTION healthschema_private.success_milestone_forget_deleted();
DROP FUNCTION healthschema_private.success_milestone_check_inserted();
DROP FUNCTION healthschema_private.success_milestone_link_dependents();
DROP FUNCTION healthschema_private.success_milestone_lifecycle();
DROP FUNCTION healthschema_private.success_milestone_check_startable(uuid, varchar, varchar, uuid[]);
DROP FUNCTION healthschema_private.success_milestone_check_prerequisites(uuid, uuid, uuid[]);
DROP FUNCTION healthschema_private.customer_health_reject_change();
DROP FUNCTION healthschema_private.customer_health_score();
DROP FUNCTION healthschema_private.health_status_for(numeric);
DROP FUNCTION healthschema_private.health_overall_score(numeric, numeric, numeric, numeric);
DROP FUNCTION healthschema_private.set_updated_at();
