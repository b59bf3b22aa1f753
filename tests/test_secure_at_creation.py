"""Issue 9 item 4 (SPEC §2.5): every migration that creates a table in the exposed schema revokes
the API roles' privileges and enables + FORCEs RLS itself. Applied `--to` each version on a database
with Supabase's default privileges, no table of ours is ever readable or writable by anon or
authenticated outside the policies (on main every table was open from its migration until the RLS
migration)."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from healthschema import operations
from healthschema.checks import access_matrix as am
from healthschema.files.migration_files import read_all
from healthschema.files.project import PLATFORM_STUB, Project
from tests.helpers import query

PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
RLS_MIGRATION = "20250901000900_row_level_security"


def _our_tables(url: str) -> list[str]:
    return [r[0] for r in query(url, "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                                     " AND relkind = 'r' AND relname = ANY(%s) ORDER BY 1", (list(am.TABLE_NAMES),))]


def _attempts(conn: psycopg.Connection[Any], table: str, role: str, claims: dict[str, Any]) -> list[str]:
    """What anon / authenticated get from reading and writing the table: SQLSTATE or row count."""
    outcomes = []
    for statement in (f"SELECT * FROM public.{table}", f"DELETE FROM public.{table}",
                      f"UPDATE public.{table} SET updated_at = now()", f"TRUNCATE public.{table}"):
        with conn.transaction(force_rollback=True):
            conn.execute("SELECT set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
                         (role, json.dumps(claims)))
            try:
                with conn.transaction():
                    outcomes.append(f"{conn.execute(statement).rowcount} rows")
            except psycopg.Error as exc:
                outcomes.append(str(exc.sqlstate))
    return outcomes


def test_no_table_of_ours_is_ever_open(empty_db: str, project: Project) -> None:
    files = read_all(project)
    stub = [f.id for f in files if f.set_name == PLATFORM_STUB]
    health = [f.id for f in files if f.set_name != PLATFORM_STUB]
    operations.apply(project, empty_db, to=stub[-1], with_platform_stub=True)
    for kind in ("TABLES", "FUNCTIONS", "SEQUENCES"):
        query(empty_db, f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON {kind} "
                        "TO anon, authenticated, service_role")
    query(empty_db, "WITH o AS (INSERT INTO public.organizations (name, slug) VALUES ('o', 'secure-o') RETURNING id)"
                    " INSERT INTO public.clients (organization_id, first_name) SELECT id, 'c' FROM o")
    admin = {"sub": "00000000-0000-0000-0000-00000000000a", "role": "authenticated",
             "app_metadata": {"platform_role": "platform_admin"}}
    checked = 0
    with psycopg.connect(empty_db, autocommit=True) as conn:
        for version in health:
            operations.apply(project, empty_db, to=version)
            tables = _our_tables(empty_db)
            for table in tables:
                flags = conn.execute("SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
                                     " WHERE oid = %s::regclass", (f"public.{table}",)).fetchone()
                assert flags == (True, True), (version, table)
                for privilege in PRIVILEGES:
                    for role in ("anon", "authenticated"):
                        column_level = privilege in ("SELECT", "INSERT", "UPDATE", "REFERENCES")
                        held = conn.execute("SELECT has_table_privilege(%s, %s, %s)"
                                            " OR (%s AND has_any_column_privilege(%s, %s, %s))",
                                            (role, f"public.{table}", privilege, column_level,
                                             role, f"public.{table}",
                                             privilege if column_level else "SELECT")).fetchone()
                        # authenticated gets its grants in the RLS migration, together with the policies
                        # (what they allow is the access matrix), never TRUNCATE/REFERENCES/TRIGGER.
                        allowed = (role == "authenticated" and version >= RLS_MIGRATION
                                   and privilege in ("SELECT", "INSERT", "UPDATE", "DELETE")
                                   and (table != "customer_health" or privilege == "SELECT"))
                        assert held == (allowed,), (version, table, role, privilege)
                assert _attempts(conn, table, "anon", {"role": "anon"}) == ["42501"] * 4, (version, table)
                if version < RLS_MIGRATION:
                    # Even a platform admin's token reads and writes nothing before the policies exist.
                    assert _attempts(conn, table, "authenticated", admin) == ["42501"] * 4, (version, table)
                checked += 1
    assert checked >= 6 * 2  # every table, at several versions
    assert _our_tables(empty_db) == sorted(am.TABLE_NAMES)
    rows = query(empty_db, "SELECT count(*) FROM public.success_milestones")[0][0]
    assert rows > 0  # the back-fill wrote rows that stayed closed until the policies existed
