-- Rendered by `healthschema render` from templates/platform_stub/20250101000100_platform_tables.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Platform stub 2/2: minimal versions of the platform tables the health schema builds on
-- (SPEC §2.1): organizations, user_profiles, clients, activity_logs. Each is created only
-- when missing, marked for the rollback, and shaped like WedSync's own (upper-case profile
-- roles, the auth id in user_profiles.user_id, a nullable clients.organization_id).
DO $stub$
BEGIN
    IF to_regclass('public.organizations') IS NULL THEN
        CREATE TABLE public.organizations (
            id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name       varchar(255) NOT NULL,
            slug       varchar(255) NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        COMMENT ON TABLE public.organizations IS 'healthschema platform stub';
    END IF;

    IF to_regclass('public.user_profiles') IS NULL THEN
        CREATE TABLE public.user_profiles (
            id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id         uuid NOT NULL UNIQUE REFERENCES auth.users (id) ON DELETE CASCADE,
            organization_id uuid REFERENCES public.organizations (id) ON DELETE SET NULL,
            role            varchar(20) NOT NULL DEFAULT 'MEMBER'
                            CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
            created_at      timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ON public.user_profiles (organization_id);
        COMMENT ON TABLE public.user_profiles IS 'healthschema platform stub';
    END IF;

    IF to_regclass('public.clients') IS NULL THEN
        CREATE TABLE public.clients (
            id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            organization_id uuid REFERENCES public.organizations (id) ON DELETE CASCADE,
            first_name      varchar(100),
            last_name       varchar(100),
            wedding_date    date,
            created_at      timestamptz NOT NULL DEFAULT now(),
            updated_at      timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ON public.clients (organization_id);
        COMMENT ON TABLE public.clients IS 'healthschema platform stub';
    END IF;

    IF to_regclass('public.activity_logs') IS NULL THEN
        CREATE TABLE public.activity_logs (
            id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            organization_id uuid REFERENCES public.organizations (id) ON DELETE CASCADE,
            client_id       uuid REFERENCES public.clients (id) ON DELETE CASCADE,
            user_id         uuid,
            action          text NOT NULL,
            created_at      timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX ON public.activity_logs (client_id, created_at);
        COMMENT ON TABLE public.activity_logs IS 'healthschema platform stub';
    END IF;
END
$stub$;
