-- Preflight: the current user, and whether it may create schemas and roles.
SELECT CURRENT_USER::text,
       pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE'),
       coalesce((SELECT r.rolsuper OR r.rolcreaterole FROM pg_catalog.pg_roles AS r
                 WHERE r.rolname = CURRENT_USER), false),
       pg_catalog.current_setting('server_version_num')::integer
