-- Rendered by `healthschema render` from templates/health/20240101000000_golden.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TABLE public."Odd ""Name""";
