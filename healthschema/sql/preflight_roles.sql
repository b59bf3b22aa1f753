-- Preflight: which required roles exist, and whether they bypass RLS.
SELECT req.role_name, r.rolname IS NOT NULL, coalesce(r.rolbypassrls, false)
FROM unnest(%(roles)s::text[]) AS req(role_name)
LEFT JOIN pg_catalog.pg_roles AS r ON r.rolname = req.role_name
