-- Rendered by `healthschema render` from templates/platform_stub/20250101000000_platform_auth.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Removes only what the platform stub created (objects whose comment is its marker).
-- Roles are shared by every database of the server: a role still used elsewhere is kept.
DO $stub$
DECLARE
    marker constant text := 'healthschema platform stub';
    fn text;
    role_name text;
BEGIN
    FOREACH fn IN ARRAY ARRAY['auth.uid()', 'auth.role()', 'auth.email()', 'auth.jwt()'] LOOP
        IF to_regprocedure(fn) IS NOT NULL
           AND obj_description(to_regprocedure(fn), 'pg_proc') = marker THEN
            EXECUTE format('DROP FUNCTION %s', to_regprocedure(fn));
        END IF;
    END LOOP;
    IF to_regclass('auth.users') IS NOT NULL
       AND obj_description(to_regclass('auth.users'), 'pg_class') = marker THEN
        DROP TABLE auth.users;
    END IF;
    IF to_regnamespace('auth') IS NOT NULL
       AND obj_description(to_regnamespace('auth'), 'pg_namespace') = marker THEN
        DROP SCHEMA auth;
    END IF;
    FOREACH role_name IN ARRAY ARRAY['service_role', 'authenticated', 'anon'] LOOP
        IF EXISTS (
            SELECT FROM pg_catalog.pg_roles AS r
            WHERE r.rolname = role_name
              AND shobj_description(r.oid, 'pg_authid') = marker
        ) THEN
            BEGIN
                EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', 'public', role_name);
                EXECUTE format('DROP ROLE %I', role_name);
            EXCEPTION WHEN dependent_objects_still_exist THEN
                RAISE NOTICE 'role % is still used by another database; kept', role_name;
            END;
        END IF;
    END LOOP;
END
$stub$;
