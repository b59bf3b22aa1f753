"""The normalised catalog description on a real PostgreSQL (both majors)."""

from __future__ import annotations

import json
from typing import Any

import psycopg

from healthschema.files.project import Project
from healthschema.schema import describe as catalog
from tests.helpers import REPO

Conn = psycopg.Connection[tuple[Any, ...]]


def _describe(conn: Conn, project: Project) -> catalog.Catalog:
    return catalog.describe(conn, (project.meta_schema,))


def test_describe_covers_every_kind_and_skips_bookkeeping(conn: Conn, project: Project) -> None:
    described = _describe(conn, project)
    kinds = {entry.kind for entry in described.values()}
    assert {"schema", "relation", "column", "constraint", "index", "trigger", "function", "grant"} <= kinds
    assert "relation public.customer_health" in described
    assert described["column public.customer_health.client_id"].attrs["not_null"] is True
    assert not any(project.meta_schema in key for key in described)
    assert all(not key.startswith(("relation pg_catalog.", "function pg_catalog.")) for key in described)
    # PostgreSQL 18 records NOT NULL as constraints; they are folded into the column.
    constraints = [e.attrs["definition"] for e in described.values() if e.kind == "constraint"]
    assert constraints and not [d for d in constraints if d.startswith("NOT NULL")]


def test_describe_is_deterministic_and_independent_of_search_path(conn: Conn, project: Project) -> None:
    first = _describe(conn, project)
    conn.execute("SET search_path = public, auth, healthschema_private")
    second = _describe(conn, project)
    assert catalog.diff(first, second) == []
    assert conn.execute("SHOW search_path").fetchone() == ("public, auth, healthschema_private",)
    fks = [e.attrs["definition"] for e in first.values() if e.attrs.get("type") == "foreign key"]
    assert fks and all("REFERENCES public." in d or "REFERENCES auth." in d for d in fks)


def test_owner_is_not_part_of_the_description(conn: Conn, project: Project) -> None:
    before = _describe(conn, project)
    conn.execute("CREATE ROLE hs_catalog_owner NOLOGIN")
    try:
        conn.execute("ALTER TABLE public.sla_targets OWNER TO hs_catalog_owner")
        conn.execute("ALTER FUNCTION healthschema_private.set_updated_at() OWNER TO hs_catalog_owner")
        assert catalog.diff(before, _describe(conn, project)) == []
    finally:
        conn.execute("REASSIGN OWNED BY hs_catalog_owner TO CURRENT_USER")
        conn.execute("DROP OWNED BY hs_catalog_owner")
        conn.execute("DROP ROLE hs_catalog_owner")


def test_grants_are_normalised(conn: Conn, project: Project) -> None:
    conn.execute("CREATE TABLE public.hs_grant_probe (id int, secret text)")
    conn.execute("GRANT ALL ON public.hs_grant_probe TO service_role")
    conn.execute("GRANT SELECT, INSERT ON public.hs_grant_probe TO authenticated WITH GRANT OPTION")
    conn.execute("GRANT UPDATE (secret) ON public.hs_grant_probe TO anon")
    described = _describe(conn, project)
    assert described["grant relation public.hs_grant_probe to service_role"].attrs == {
        "privileges": ["ALL"], "grantable": []}
    assert described["grant relation public.hs_grant_probe to authenticated"].attrs == {
        "privileges": ["INSERT", "SELECT"], "grantable": ["INSERT", "SELECT"]}
    column_grant = described["grant column public.hs_grant_probe.secret to anon"]
    assert column_grant.attrs["privileges"] == ["UPDATE"]
    assert catalog.ancestors(described, "grant column public.hs_grant_probe.secret to anon") == [
        "column public.hs_grant_probe.secret", "relation public.hs_grant_probe"]


def test_functions_default_to_public_execute(conn: Conn, project: Project) -> None:
    conn.execute("CREATE FUNCTION public.hs_probe() RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT 1'")
    described = _describe(conn, project)
    assert described["grant function public.hs_probe() to PUBLIC"].attrs["privileges"] == ["EXECUTE"]
    attrs = described["function public.hs_probe()"].attrs
    assert (attrs["language"], attrs["volatility"], attrs["body"], attrs["security_definer"]) == (
        "sql", "immutable", "SELECT 1", False)
    conn.execute("REVOKE EXECUTE ON FUNCTION public.hs_probe() FROM PUBLIC")
    assert "grant function public.hs_probe() to PUBLIC" not in _describe(conn, project)


def test_extension_members_are_left_out(conn: Conn, project: Project) -> None:
    before = _describe(conn, project)
    conn.execute("CREATE EXTENSION cube WITH SCHEMA public")  # shipped by both servers; many functions
    changes = catalog.diff(before, _describe(conn, project))
    assert [change.key for change in changes] == ["extension cube"]
    assert conn.execute("SELECT count(*) FROM pg_proc WHERE proname = 'cube_union'").fetchone() == (1,)


def test_diff_names_changed_attributes(conn: Conn, project: Project) -> None:
    before = _describe(conn, project)
    conn.execute("ALTER TABLE public.sla_targets ALTER COLUMN response_hours SET DEFAULT 7")
    changes = catalog.diff(before, _describe(conn, project))
    assert [c.key for c in changes] == ["column public.sla_targets.response_hours"]
    assert changes[0].changed_attributes() == ["default"]
    assert changes[0].describe() == "changed column public.sla_targets.response_hours: default: expected None, found 7"


PROBE = REPO / "tests" / "data" / "catalog"


def _probe_description(url: str) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute((PROBE / "probe.sql").read_text().encode())
        try:
            described = catalog.describe(connection)
        finally:
            connection.execute("DROP SCHEMA probe CASCADE")
            connection.execute("DROP OWNED BY probe_reader")
    probe = {key: entry for key, entry in described.items() if entry.schema == "probe"}
    return catalog.to_json(probe)


def test_every_kind_describes_identically_on_each_major(empty_db: str) -> None:
    """A probe schema with every kind of object (views, identity, domains, enums, SQL-body functions,
    procedures, WHEN triggers, restrictive policies, column and sequence grants, NOT VALID checks)
    describes exactly as the committed description, made once, on every major."""
    found = _probe_description(empty_db)
    expected = json.loads((PROBE / "probe.json").read_text())
    assert catalog.diff(catalog.from_json(expected), catalog.from_json(found)) == []
    assert found == expected


def test_view_definitions_drop_only_unaliased_qualifiers() -> None:
    pg15 = " SELECT parent.code,\n    count(*) AS n\n   FROM probe.parent\n  GROUP BY parent.code;"
    pg18 = " SELECT code,\n    count(*) AS n\n   FROM probe.parent\n  GROUP BY code;"
    assert catalog.normalise_view_definition(pg15) == pg18
    assert catalog.normalise_view_definition(pg18) == pg18
    aliased = " SELECT p.id, parent.x\n   FROM probe.parent p\n     JOIN probe.other parent ON true;"
    assert catalog.normalise_view_definition(aliased) == aliased
