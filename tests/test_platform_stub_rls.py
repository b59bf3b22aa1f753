"""The platform stub's own tables are closed like a real platform's (issue 11 item 4): RLS on,
no API privileges besides SELECT for signed-in users through their profile/organization."""

from __future__ import annotations

import psycopg
import pytest

from tests.helpers import query, scalar

STUB_TABLES = ("organizations", "user_profiles", "clients", "activity_logs")


def test_stub_tables_have_rls_and_no_anon_privileges(shared_conn: psycopg.Connection[tuple[object, ...]]) -> None:
    rows = shared_conn.execute("""
        SELECT c.relname, c.relrowsecurity,
               has_table_privilege('anon', c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE'),
               has_table_privilege('authenticated', c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE'),
               (SELECT count(*) FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname)
          FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY (%s)
         ORDER BY 1""", (list(STUB_TABLES),)).fetchall()
    assert rows == [(name, True, False, False, 1) for name in sorted(STUB_TABLES)]


@pytest.mark.parametrize("role", ["anon", "authenticated"])
def test_an_api_role_sees_no_other_tenant(applied_db: str, role: str) -> None:
    user_a = scalar(applied_db, "INSERT INTO auth.users (email) VALUES ('a@x') RETURNING id")
    org_a = scalar(applied_db, "INSERT INTO public.organizations (name, slug) VALUES ('A', 'a') RETURNING id")
    org_b = scalar(applied_db, "INSERT INTO public.organizations (name, slug) VALUES ('B', 'b') RETURNING id")
    query(applied_db, "INSERT INTO public.user_profiles (user_id, organization_id, role) VALUES (%s, %s, 'MEMBER')",
          (user_a, org_a))
    for org in (org_a, org_b):
        client = scalar(applied_db, "INSERT INTO public.clients (organization_id) VALUES (%s) RETURNING id", (org,))
        query(applied_db, "INSERT INTO public.activity_logs (organization_id, client_id, action) "
                          "VALUES (%s, %s, 'login')", (org, client))
    with psycopg.connect(applied_db) as conn:
        conn.execute(f"SET LOCAL ROLE {role}")
        conn.execute("SELECT set_config('request.jwt.claims', %s, true)",
                     (f'{{"sub": "{user_a}", "role": "{role}"}}',))
        for table in ("organizations", "clients", "activity_logs"):
            if role == "anon":
                with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                    conn.execute(f"SELECT count(*) FROM public.{table}")
                continue
            orgs = conn.execute(f"SELECT DISTINCT {'id' if table == 'organizations' else 'organization_id'} "
                                f"FROM public.{table}").fetchall()
            assert orgs == [(org_a,)], table
        if role == "authenticated":
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute("INSERT INTO public.activity_logs (organization_id, action) VALUES (%s, 'login')",
                             (org_a,))
