-- Rendered by `healthschema render` from templates/health/20250901000200_success_milestones.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TABLE public.success_milestones;
