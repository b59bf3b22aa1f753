-- Rendered by `healthschema render` from templates/health/20240101000000_golden.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- transactional: false
CREATE TABLE public."Odd ""Name""" (id int, "select" text);
COMMENT ON TABLE public."Odd ""Name""" IS 'it''s a table';
INSERT INTO public."Odd ""Name""" VALUES (1, ARRAY['it''s', 'plain']::text);
SELECT '{"a": "x", "b": 2}'::jsonb, NULL, true, "user";
