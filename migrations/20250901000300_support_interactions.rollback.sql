-- Rendered by `healthschema render` from templates/health/20250901000300_support_interactions.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TABLE public.support_interactions;
