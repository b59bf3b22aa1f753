-- Rendered by `healthschema render` from templates/platform_stub/20250101000000_platform_auth.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Platform stub 1/2: Supabase auth compatibility for standalone PostgreSQL (SPEC §2.1).
-- Applied only by `healthschema apply --with-platform-stub`. Creates only what is missing and
-- marks what it creates (COMMENT = 'healthschema platform stub') so the rollback removes
-- exactly that. Behaviour of auth.uid()/jwt()/role()/email() follows supabase/auth.
DO $stub$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'anon') THEN
        CREATE ROLE anon NOLOGIN NOINHERIT;
        COMMENT ON ROLE anon IS 'healthschema platform stub';
        -- Supabase grants the API roles USAGE on the exposed schema.
        GRANT USAGE ON SCHEMA public TO anon;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'authenticated') THEN
        CREATE ROLE authenticated NOLOGIN NOINHERIT;
        COMMENT ON ROLE authenticated IS 'healthschema platform stub';
        GRANT USAGE ON SCHEMA public TO authenticated;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'service_role') THEN
        CREATE ROLE service_role NOLOGIN NOINHERIT BYPASSRLS;
        COMMENT ON ROLE service_role IS 'healthschema platform stub';
        GRANT USAGE ON SCHEMA public TO service_role;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    -- Another database on this server created the roles at the same moment: they exist now.
    NULL;
END
$stub$;

DO $stub$
BEGIN
    IF to_regnamespace('auth') IS NULL THEN
        CREATE SCHEMA auth;
        COMMENT ON SCHEMA auth IS 'healthschema platform stub';
        GRANT USAGE ON SCHEMA auth TO anon, authenticated, service_role;
    END IF;

    IF to_regclass('auth.users') IS NULL THEN
        CREATE TABLE auth.users (
            id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            email              text UNIQUE,
            raw_app_meta_data  jsonb NOT NULL DEFAULT '{}'::jsonb,
            raw_user_meta_data jsonb NOT NULL DEFAULT '{}'::jsonb,
            created_at         timestamptz NOT NULL DEFAULT now(),
            updated_at         timestamptz NOT NULL DEFAULT now()
        );
        COMMENT ON TABLE auth.users IS 'healthschema platform stub';
    END IF;

    -- Supabase's definitions (supabase/auth migrations 20220224000811, 20220531120530):
    -- language sql, stable, no SET clause so that they stay inlinable.
    IF to_regprocedure('auth.uid()') IS NULL THEN
        CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $fn$
            SELECT coalesce(
                nullif(current_setting('request.jwt.claim.sub', true), ''),
                (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
            )::uuid
        $fn$;
        COMMENT ON FUNCTION auth.uid() IS 'healthschema platform stub';
    END IF;
    IF to_regprocedure('auth.role()') IS NULL THEN
        CREATE FUNCTION auth.role() RETURNS text LANGUAGE sql STABLE AS $fn$
            SELECT coalesce(
                nullif(current_setting('request.jwt.claim.role', true), ''),
                (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
            )::text
        $fn$;
        COMMENT ON FUNCTION auth.role() IS 'healthschema platform stub';
    END IF;
    IF to_regprocedure('auth.email()') IS NULL THEN
        CREATE FUNCTION auth.email() RETURNS text LANGUAGE sql STABLE AS $fn$
            SELECT coalesce(
                nullif(current_setting('request.jwt.claim.email', true), ''),
                (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
            )::text
        $fn$;
        COMMENT ON FUNCTION auth.email() IS 'healthschema platform stub';
    END IF;
    IF to_regprocedure('auth.jwt()') IS NULL THEN
        CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE AS $fn$
            SELECT coalesce(
                nullif(current_setting('request.jwt.claim', true), ''),
                nullif(current_setting('request.jwt.claims', true), '')
            )::jsonb
        $fn$;
        COMMENT ON FUNCTION auth.jwt() IS 'healthschema platform stub';
    END IF;
END
$stub$;
