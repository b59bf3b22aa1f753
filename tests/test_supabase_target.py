"""The Supabase-shaped fixture really has Supabase's shape (so tests on it mean something)."""

from __future__ import annotations

import psycopg

from tests.helpers import query, scalar
from tests.supabase_target import SupabaseDatabase


def test_postgres_is_not_superuser_but_bypasses_rls(supabase_db: SupabaseDatabase) -> None:
    row = query(supabase_db.url,
                "SELECT rolsuper, rolbypassrls, rolcreaterole FROM pg_roles WHERE rolname = current_user")
    assert row == [(False, True, True)]
    assert scalar(supabase_db.url, "SELECT rolsuper FROM pg_roles WHERE rolname = 'supabase_admin'") is True
    roles = {r[0] for r in query(supabase_db.url, "SELECT rolname FROM pg_roles WHERE rolname IN "
                                 "('anon', 'authenticated', 'service_role', 'authenticator', 'supabase_auth_admin')")}
    assert roles == {"anon", "authenticated", "service_role", "authenticator", "supabase_auth_admin"}
    assert scalar(supabase_db.url, "SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role'") is True


def test_default_privileges_open_every_new_public_table_to_anon(supabase_db: SupabaseDatabase) -> None:
    with psycopg.connect(supabase_db.url) as conn:
        conn.execute("CREATE TABLE public.probe (id int)")
        granted = conn.execute("SELECT has_table_privilege('anon', 'public.probe', 'SELECT, INSERT, TRUNCATE')")
        assert granted.fetchone() == (True,)
        conn.rollback()


def test_auth_follows_gotrue(supabase_db: SupabaseDatabase) -> None:
    assert scalar(supabase_db.url, "SELECT count(*) FROM information_schema.columns "
                  "WHERE table_schema = 'auth' AND table_name = 'users'") == 35
    with psycopg.connect(supabase_db.url) as conn:
        conn.execute("SET LOCAL ROLE authenticated")
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)",
                     ('{"sub": "00000000-0000-0000-0000-00000000000a", "role": "authenticated", '
                      '"app_metadata": {"platform_role": "customer_success"}}',))
        claims = conn.execute("SELECT auth.uid()::text, auth.role(), auth.jwt() -> 'app_metadata' ->> 'platform_role'")
        assert claims.fetchone() == ("00000000-0000-0000-0000-00000000000a", "authenticated", "customer_success")
        conn.rollback()


def test_platform_tables_are_the_wedding_platforms(supabase_db: SupabaseDatabase) -> None:
    assert scalar(supabase_db.url, "SELECT to_regclass('public.activity_logs')") is None
    assert scalar(supabase_db.url, "SELECT to_regclass('public.client_activities')::text") == "client_activities"
    fks = query(supabase_db.url, """
        SELECT conname FROM pg_constraint WHERE conrelid = 'public.user_profiles'::regclass AND contype = 'f'
           AND conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = 'public.user_profiles'::regclass
                                                              AND attname = 'user_id')]""")
    assert fks == []
    rls = query(supabase_db.url, "SELECT relname, relrowsecurity FROM pg_class WHERE relname IN "
                "('organizations', 'user_profiles', 'clients', 'client_activities') ORDER BY 1")
    assert all(enabled for _, enabled in rls) and len(rls) == 4
