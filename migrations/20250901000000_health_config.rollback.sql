-- Rendered by `healthschema render` from templates/health/20250901000000_health_config.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TABLE public.sla_targets;
DROP TABLE public.health_score_config;
