"""The access matrix of SPEC §2.5, exhaustively: every persona × table × command × own/other org,
plus "move an own row into the other org", generated from ``healthschema.access_matrix``.

Each cell runs in a rolled-back transaction on a database with every migration applied, as the
persona (role + JWT claims set the way PostgREST does), with this file's own SQL; it asserts the
exact outcome (allowed / filtered / denied 42501) and, for filtered or denied writes, re-reads the
row as the owner to prove that nothing changed.
"""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql

from healthschema import operations
from healthschema.checks import access_matrix as am
from healthschema.checks import policy_check
from healthschema.files.project import Project
from healthschema.pg import disposable

CELLS = am.cells()
S = "public"

INSERTS = {
    "customer_health": "INSERT INTO public.customer_health (id, client_id, organization_id) "
                       "VALUES (%(key)s, %(client)s, %(org)s) RETURNING id",
    "success_milestones": "INSERT INTO public.success_milestones (id, client_id, organization_id, milestone_type, "
                          "milestone_category, milestone_name) VALUES (%(key)s, %(client)s, %(org)s, 'custom', "
                          "'planning', 'matrix test') RETURNING id",
    "support_interactions": "INSERT INTO public.support_interactions (id, client_id, organization_id, "
                            "interaction_type, interaction_category, interaction_method, subject) VALUES (%(key)s, "
                            "%(client)s, %(org)s, 'health_check', 'success', 'email', 'matrix test') RETURNING id",
    "milestone_templates": "INSERT INTO public.milestone_templates (id, template_key, milestone_name, milestone_type, "
                           "milestone_category, is_active) VALUES (%(key)s, %(template_key)s, 'matrix test', "
                           "'custom', 'planning', false) RETURNING id",
    "health_score_config": "INSERT INTO public.health_score_config (id, weight_engagement, weight_progress, "
                           "weight_satisfaction, weight_churn_risk, threshold_excellent, threshold_good, "
                           "threshold_at_risk) VALUES (%(key)s, 0.4, 0.2, 0.2, 0.2, 85, 65, 45) RETURNING id",
    "sla_targets": "INSERT INTO public.sla_targets (priority, response_hours, resolution_hours) "
                   "VALUES (%(key)s, 8, 96) RETURNING priority",
}


@pytest.fixture(scope="module")
def matrix_db(pg: disposable.DisposableServer, project: Project) -> Iterator[tuple[psycopg.Connection[Any], Any]]:
    """One database per server with the migrations applied and the matrix rows committed."""
    with disposable.scratch_database(pg.url, f"rls_matrix_{os.getpid()}_{uuid.uuid4().hex[:6]}") as url:
        operations.apply(project, url, with_platform_stub=True)
        with psycopg.connect(url, autocommit=True) as conn:
            fixture = policy_check.new_fixture()
            with conn.transaction():
                policy_check.create_fixture(conn, fixture)
            yield conn, fixture


def _key(fixture: Any, cell: am.Cell) -> Any:
    return fixture.rows[cell.table]["own" if cell.target == "move" else cell.target]


def _statement(cell: am.Cell, fixture: Any) -> tuple[sql.Composable, dict[str, Any], Any]:
    """(SQL, params, key of the row it touches) for one cell."""
    table = am.TABLE_BY_NAME[cell.table]
    ident = sql.Identifier(S, table.name)
    key_col = sql.Identifier(table.key)
    if cell.command == "INSERT":
        org = "a" if cell.target in ("own", "row") else "b"
        key: Any = uuid.uuid4()
        if table.name in ("health_score_config", "sla_targets"):
            key = fixture.rows[table.name]["row"]
        params = {"key": key, "org": fixture.org[org], "client": fixture.client[org],
                  "template_key": f"matrix_{uuid.uuid4().hex[:8]}"}
        return sql.SQL(INSERTS[table.name]), params, key  # type: ignore[arg-type]
    key = _key(fixture, cell)
    if cell.target == "move":
        query = sql.SQL("UPDATE {} SET organization_id = %(org)s, client_id = %(client)s WHERE id = %(key)s "
                        "RETURNING id").format(ident)
        return query, {"key": key, "org": fixture.org["b"], "client": fixture.client["move"]}, key
    template = {
        "SELECT": "SELECT {k} FROM {t} WHERE {k} = %(key)s",
        "UPDATE": "UPDATE {t} SET {k} = {k} WHERE {k} = %(key)s RETURNING {k}",
        "DELETE": "DELETE FROM {t} WHERE {k} = %(key)s RETURNING {k}",
    }[cell.command]
    return sql.SQL(template).format(t=ident, k=key_col), {"key": key}, key


def _owner_row(conn: psycopg.Connection[Any], table: am.Table, key: Any) -> Any:
    query = sql.SQL("SELECT to_jsonb(t) FROM {} AS t WHERE {} = %s").format(
        sql.Identifier(S, table.name), sql.Identifier(table.key))
    return conn.execute(query, [key]).fetchall()


def _claims(persona: am.Persona, fixture: Any) -> str:
    if not persona.signed_in:
        return json.dumps({"role": persona.db_role})
    app_metadata = {"platform_role": persona.platform_role} if persona.platform_role else {}
    return json.dumps({"sub": str(fixture.users[persona.name]), "role": "authenticated",
                       "app_metadata": app_metadata})


def run_cell(conn: psycopg.Connection[Any], fixture: Any, cell: am.Cell,
             persona: am.Persona) -> tuple[am.Outcome | str, bool]:
    """(outcome, changed): changed means a filtered or denied write altered the row anyway."""
    table = am.TABLE_BY_NAME[cell.table]
    query, params, key = _statement(cell, fixture)
    with conn.transaction(force_rollback=True):
        if cell.command == "INSERT" and table.name in ("health_score_config", "sla_targets"):
            conn.execute(sql.SQL("DELETE FROM {} WHERE {} = %s").format(
                sql.Identifier(S, table.name), sql.Identifier(table.key)), [key])
        before = _owner_row(conn, table, key)
        conn.execute("SELECT set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
                     [persona.db_role, _claims(persona, fixture)])
        try:
            with conn.transaction():
                rows = conn.execute(query, params).fetchall()
            outcome: am.Outcome | str = {0: am.FILTERED, 1: am.ALLOWED}.get(len(rows), f"{len(rows)} rows")
        except psycopg.errors.InsufficientPrivilege:
            outcome = am.DENIED
        conn.execute("RESET ROLE")
        conn.execute("SELECT set_config('request.jwt.claims', '', true)")
        after = _owner_row(conn, table, key)
    changed = cell.command != "SELECT" and outcome != am.ALLOWED and after != before
    return outcome, changed


@pytest.mark.parametrize("cell", CELLS, ids=[c.id for c in CELLS])
def test_cell(matrix_db: tuple[psycopg.Connection[Any], Any], cell: am.Cell) -> None:
    conn, fixture = matrix_db
    outcome, changed = run_cell(conn, fixture, cell, am.PERSONA_BY_NAME[cell.persona])
    assert outcome == cell.expected, f"{cell.id}: expected {cell.expected}, got {outcome}"
    assert not changed, f"{cell.id}: a {outcome} write changed the row"


def test_owner_and_viewer_behave_like_admin_and_member(matrix_db: tuple[psycopg.Connection[Any], Any]) -> None:
    """SPEC §2.5: OWNER = admin, VIEWER = member. Re-run their cells with those profile roles."""
    conn, _ = matrix_db
    personas = tuple(
        dataclasses.replace(p, org_role=am.EQUIVALENT_ORG_ROLES[p.org_role])
        if p.name in ("admin_a", "member_a") and p.org_role else p
        for p in am.PERSONAS
    )
    fixture = policy_check.new_fixture(personas)
    by_name = {p.name: p for p in personas}
    assert by_name["admin_a"].org_role == "OWNER" and by_name["member_a"].org_role == "VIEWER"
    checked = 0
    with conn.transaction(force_rollback=True):
        policy_check.create_fixture(conn, fixture, personas=personas)
        for cell in CELLS:
            if cell.persona in ("admin_a", "member_a"):
                outcome, changed = run_cell(conn, fixture, cell, by_name[cell.persona])
                assert (outcome, changed) == (cell.expected, False), cell.id
                checked += 1
    assert checked == 2 * len(CELLS) // len(am.PERSONAS)


def test_user_metadata_or_misspelled_platform_role_grants_nothing(
    matrix_db: tuple[psycopg.Connection[Any], Any],
) -> None:
    """A platform role in user_metadata (user-editable) or an unknown one is not a platform role."""
    conn, fixture = matrix_db
    cell = am.Cell("nobody", "customer_health", "SELECT", "other", am.FILTERED)
    fake = json.dumps({"sub": str(fixture.users["nobody"]), "role": "authenticated",
                       "user_metadata": {"platform_role": "platform_admin"},
                       "app_metadata": {"platform_role": "Platform_Admin"}})
    query, params, _ = _statement(cell, fixture)
    with conn.transaction(force_rollback=True):
        conn.execute("SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', %s, true)",
                     [fake])
        assert conn.execute(query, params).fetchall() == []


@pytest.mark.parametrize("table", ["success_milestones", "support_interactions"])
def test_assignment_in_another_org_grants_nothing(matrix_db: tuple[psycopg.Connection[Any], Any], table: str) -> None:
    """Own org only: an org-B row assigned to assignee_a (a member of A only) stays invisible and
    cannot be updated."""
    conn, fixture = matrix_db
    other = fixture.rows[table]["other"]
    claims = json.dumps({"sub": str(fixture.users["assignee_a"]), "role": "authenticated", "app_metadata": {}})
    with conn.transaction(force_rollback=True):
        conn.execute(sql.SQL("UPDATE {} SET assigned_user_id = %s WHERE id = %s").format(sql.Identifier(S, table)),
                     [fixture.users["assignee_a"], other])
        conn.execute("SELECT set_config('role', 'authenticated', true), set_config('request.jwt.claims', %s, true)",
                     [claims])
        seen = conn.execute(sql.SQL("SELECT id FROM {} WHERE id = %s").format(sql.Identifier(S, table)), [other])
        assert seen.fetchall() == []
        column = sql.Identifier("notes" if table == "success_milestones" else "description")
        updated = conn.execute(sql.SQL("UPDATE {} SET {} = 'x' WHERE id = %s RETURNING id").format(
            sql.Identifier(S, table), column), [other])
        assert updated.fetchall() == []
        # ... while the same user does see and update the org-A row assigned to them.
        own = fixture.rows[table]["own"]
        assert conn.execute(sql.SQL("SELECT id FROM {} WHERE id = %s").format(sql.Identifier(S, table)),
                            [own]).fetchall() == [(own,)]


def test_matrix_data_matches_spec_rows() -> None:
    """Spot checks of the data against SPEC §2.5's table (guards against a typo in the rules)."""
    e = am.expected
    assert e("admin_a", "customer_health", "SELECT", "own") == am.ALLOWED
    assert e("admin_a", "customer_health", "SELECT", "other") == am.FILTERED
    assert e("member_a", "customer_health", "SELECT", "own") == am.FILTERED
    assert e("platform_admin", "customer_health", "UPDATE", "own") == am.DENIED
    assert e("admin_a", "success_milestones", "INSERT", "other") == am.DENIED
    assert e("admin_a", "success_milestones", "UPDATE", "move") == am.DENIED
    assert e("assignee_a", "support_interactions", "UPDATE", "own") == am.ALLOWED
    assert e("admin_a", "support_interactions", "UPDATE", "own") == am.FILTERED
    assert e("cs_agent", "success_milestones", "DELETE", "own") == am.FILTERED
    assert e("cs_agent", "support_interactions", "UPDATE", "move") == am.ALLOWED
    assert e("anon", "sla_targets", "SELECT", "row") == am.DENIED
    assert e("nobody", "health_score_config", "SELECT", "row") == am.ALLOWED
    assert e("cs_agent", "milestone_templates", "INSERT", "row") == am.DENIED
    # per persona: 3 org tables × (4 commands × 2 targets + move) + 3 config tables × 4 commands
    assert len(CELLS) == len(am.PERSONAS) * (3 * 9 + 3 * 4)
    assert len({c.id for c in CELLS}) == len(CELLS)
