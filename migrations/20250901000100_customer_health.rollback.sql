-- Rendered by `healthschema render` from templates/health/20250901000100_customer_health.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TABLE public.customer_health;
