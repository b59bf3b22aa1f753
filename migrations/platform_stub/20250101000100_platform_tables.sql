-- Rendered by `healthschema render` from templates/platform_stub/20250101000100_platform_tables.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
-- Platform stub 2/2: minimal versions of the platform tables the health schema builds on
-- (SPEC §2.1): organizations, user_profiles, clients, activity_logs. Each is created only
-- when missing, marked for the rollback, and shaped like WedSync's own (upper-case profile
-- roles, the auth id in user_profiles.user_id, a nullable clients.organization_id).
-- Like a real platform's, each table the stub creates is closed at creation: RLS on, the API
-- roles' privileges revoked, then SELECT for signed-in users through one policy (their own
-- profile; their organization's rows) and everything for service_role. Nobody writes them
-- through the API.
DO $stub$
DECLARE
    made_organizations boolean := false;
BEGIN
    IF to_regclass('public.organizations') IS NULL THEN
        CREATE TABLE public.organizations (
            id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            name       varchar(255) NOT NULL,
            slug       varchar(255) NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now()
        );
        COMMENT ON TABLE public.organizations IS 'healthschema platform stub';
        made_organizations := true;
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
        ALTER TABLE public.user_profiles ENABLE ROW LEVEL SECURITY;
        REVOKE ALL ON public.user_profiles FROM PUBLIC, anon, authenticated, service_role;
        GRANT SELECT ON public.user_profiles TO authenticated;
        GRANT SELECT, INSERT, UPDATE, DELETE ON public.user_profiles TO service_role;
        CREATE POLICY user_profiles_select ON public.user_profiles
            FOR SELECT TO authenticated USING (user_id = (SELECT auth.uid()));
    END IF;
    -- organizations' policy reads user_profiles, so it comes once both exist.
    IF made_organizations THEN
        ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
        REVOKE ALL ON public.organizations FROM PUBLIC, anon, authenticated, service_role;
        GRANT SELECT ON public.organizations TO authenticated;
        GRANT SELECT, INSERT, UPDATE, DELETE ON public.organizations TO service_role;
        CREATE POLICY organizations_select ON public.organizations
            FOR SELECT TO authenticated USING (id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
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
        ALTER TABLE public.clients ENABLE ROW LEVEL SECURITY;
        REVOKE ALL ON public.clients FROM PUBLIC, anon, authenticated, service_role;
        GRANT SELECT ON public.clients TO authenticated;
        GRANT SELECT, INSERT, UPDATE, DELETE ON public.clients TO service_role;
        CREATE POLICY clients_select ON public.clients
            FOR SELECT TO authenticated USING (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
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
        ALTER TABLE public.activity_logs ENABLE ROW LEVEL SECURITY;
        REVOKE ALL ON public.activity_logs FROM PUBLIC, anon, authenticated, service_role;
        GRANT SELECT ON public.activity_logs TO authenticated;
        GRANT SELECT, INSERT, UPDATE, DELETE ON public.activity_logs TO service_role;
        CREATE POLICY activity_logs_select ON public.activity_logs
            FOR SELECT TO authenticated USING (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
    END IF;
END
$stub$;
