-- The wedding platform's own tables (WedSync/WedSync-AI base and clients schema), as `postgres`.
-- Only the columns the health schema relies on plus a representative set of the others; the
-- shapes that matter are kept: nullable organization ids, no FK from user_profiles.user_id to
-- auth.users, upper-case profile roles, client_activities instead of activity_logs, RLS on.
CREATE TABLE public.organizations (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name           varchar(255) NOT NULL,
    slug           varchar(255) NOT NULL UNIQUE,
    domain         varchar(255),
    pricing_tier   varchar(20) DEFAULT 'FREE'
        CHECK (pricing_tier IN ('FREE', 'STARTER', 'PROFESSIONAL', 'SCALE', 'ENTERPRISE')),
    max_users      integer DEFAULT 1,
    settings       jsonb DEFAULT '{}'::jsonb,
    subscription_status varchar(50),
    trial_ends_at  timestamptz,
    created_at     timestamptz DEFAULT now(),
    updated_at     timestamptz DEFAULT now()
);

CREATE TABLE public.user_profiles (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL UNIQUE,
    organization_id uuid REFERENCES public.organizations (id) ON DELETE SET NULL,
    role            varchar(20) DEFAULT 'MEMBER' CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER', 'VIEWER')),
    first_name      varchar(100),
    last_name       varchar(100),
    full_name       varchar(255) GENERATED ALWAYS AS
        (coalesce(first_name || ' ' || last_name, first_name, last_name, '')) STORED,
    timezone        varchar(100) DEFAULT 'UTC',
    preferences     jsonb DEFAULT '{}'::jsonb,
    last_active_at  timestamptz,
    onboarding_completed boolean DEFAULT false,
    created_at      timestamptz DEFAULT now(),
    updated_at      timestamptz DEFAULT now()
);
CREATE INDEX idx_user_profiles_user_id ON public.user_profiles (user_id);
CREATE INDEX idx_user_profiles_organization ON public.user_profiles (organization_id);

CREATE TABLE public.clients (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id    uuid REFERENCES public.organizations (id) ON DELETE CASCADE,
    first_name         varchar(100),
    last_name          varchar(100),
    partner_first_name varchar(100),
    partner_last_name  varchar(100),
    email              varchar(255),
    phone              varchar(50),
    wedding_date       date,
    venue_name         varchar(255),
    guest_count        integer,
    status             varchar(50) DEFAULT 'lead',
    booking_stage      varchar(100),
    lead_date          timestamptz DEFAULT now(),
    package_price      numeric(10, 2),
    payment_schedule   jsonb DEFAULT '[]'::jsonb,
    tags               text[],
    custom_fields      jsonb DEFAULT '{}'::jsonb,
    notes              text,
    created_at         timestamptz DEFAULT now(),
    updated_at         timestamptz DEFAULT now(),
    created_by         uuid REFERENCES public.user_profiles (id),
    last_modified_by   uuid REFERENCES public.user_profiles (id)
);
CREATE INDEX idx_clients_organization ON public.clients (organization_id);
CREATE INDEX idx_clients_wedding_date ON public.clients (wedding_date);

CREATE TABLE public.client_activities (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id            uuid REFERENCES public.clients (id) ON DELETE CASCADE,
    organization_id      uuid REFERENCES public.organizations (id) ON DELETE CASCADE,
    activity_type        varchar(100) NOT NULL,
    activity_title       varchar(255),
    activity_description text,
    related_entity_type  varchar(50),
    related_entity_id    uuid,
    performed_by         uuid REFERENCES public.user_profiles (id),
    performed_by_name    varchar(255),
    metadata             jsonb DEFAULT '{}'::jsonb,
    created_at           timestamptz DEFAULT now()
);
CREATE INDEX idx_client_activities_client ON public.client_activities (client_id);
CREATE INDEX idx_client_activities_type ON public.client_activities (activity_type);
CREATE INDEX idx_client_activities_date ON public.client_activities (created_at);

ALTER TABLE public.organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.user_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.clients ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.client_activities ENABLE ROW LEVEL SECURITY;

-- The platform's policies: members see their organization's rows (no TO clause, as theirs).
CREATE POLICY "org members read their organization" ON public.organizations FOR SELECT
    USING (id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
CREATE POLICY "own profile" ON public.user_profiles FOR ALL
    USING (user_id = (SELECT auth.uid()));
CREATE POLICY "org members read their clients" ON public.clients FOR SELECT
    USING (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
CREATE POLICY "org members add clients" ON public.clients FOR INSERT
    WITH CHECK (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
CREATE POLICY "org members change clients" ON public.clients FOR UPDATE
    USING (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
CREATE POLICY "org members read client activity" ON public.client_activities FOR SELECT
    USING (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
CREATE POLICY "org members log client activity" ON public.client_activities FOR INSERT
    WITH CHECK (organization_id IN (SELECT up.organization_id FROM public.user_profiles AS up WHERE up.user_id = (SELECT auth.uid())));
