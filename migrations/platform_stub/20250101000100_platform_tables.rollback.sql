-- Rendered by `healthschema render` from templates/platform_stub/20250101000100_platform_tables.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Removes only the platform tables that the stub created (marked by its comment).
DO $stub$
DECLARE
    marker constant text := 'healthschema platform stub';
    table_name text;
BEGIN
    -- organizations' policy reads user_profiles: it goes first.
    IF to_regclass('public.organizations') IS NOT NULL
       AND obj_description(to_regclass('public.organizations'), 'pg_class') = marker THEN
        DROP POLICY IF EXISTS organizations_select ON public.organizations;
    END IF;
    FOREACH table_name IN ARRAY ARRAY[
        'public.activity_logs',
        'public.clients',
        'public.user_profiles',
        'public.organizations'
    ] LOOP
        IF to_regclass(table_name) IS NOT NULL
           AND obj_description(to_regclass(table_name), 'pg_class') = marker THEN
            EXECUTE format('DROP TABLE %s', to_regclass(table_name));
        END IF;
    END LOOP;
END
$stub$;
