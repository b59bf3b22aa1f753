"""``policy-check``: run the access matrix (:mod:`healthschema.checks.access_matrix`) against a database.

Everything happens inside ONE transaction that is always rolled back: the check creates its own
organizations, auth users, profiles, clients and rows (as the connecting owner), then runs every
cell in its own savepoint, impersonating the persona the way PostgREST does (``role`` and
``request.jwt.claims`` set transaction-locally), and classifies the outcome: allowed (the row comes
back), filtered (0 rows, no error) or denied (SQLSTATE 42501). After a filtered or denied write it
re-reads the row as the owner to prove that nothing changed. The security checks of
:mod:`healthschema.checks.security` are part of the report.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg

from healthschema.checks import access_matrix as am
from healthschema.checks import platform_fixture, security
from healthschema.checks.security import Finding
from healthschema.errors import DatabaseError
from healthschema.pg import connect as db

DENIED_SQLSTATE = "42501"


@dataclass(frozen=True)
class CellResult:
    """One cell as run: what the matrix expects and what the database did."""

    persona: str
    table: str
    command: str
    target: str
    expected: am.Outcome
    actual: str  # an Outcome value, or "E" for any other error
    changed: bool = False  # a filtered or denied write changed the row anyway
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.actual == self.expected and not self.changed

    returning: bool = True
    column: str | None = None

    def describe(self) -> str:
        how = ("" if self.returning else " (no RETURNING)") + (f" of column {self.column}" if self.column else "")
        what = f"{self.table} {self.command} {self.target}{how} as {self.persona}"
        got = f"got {self.actual}" + (" and the row changed" if self.changed else "")
        return f"{what}: expected {self.expected}, {got}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class PolicyReport:
    """The access matrix as run, plus the security findings."""

    cells: list[CellResult]
    findings: list[Finding] = field(default_factory=list)

    @property
    def mismatches(self) -> list[CellResult]:
        return [c for c in self.cells if not c.ok]

    @property
    def ok(self) -> bool:
        return not self.mismatches and not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "cells": [
                {"persona": c.persona, "table": c.table, "command": c.command, "target": c.target,
                 "returning": c.returning, "column": c.column,
                 "expected": str(c.expected), "actual": c.actual, "changed": c.changed, "ok": c.ok,
                 "detail": c.detail}
                for c in self.cells
            ],
            "mismatches": [c.describe() for c in self.mismatches],
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Fixture:
    """Identifiers of the temporary data: organizations, clients, users and one row per table/org."""

    org: dict[str, uuid.UUID]  # "a", "b"
    client: dict[str, uuid.UUID]
    users: dict[str, uuid.UUID]  # persona name -> auth user id (signed-in personas)
    rows: dict[str, dict[str, Any]]  # table -> target ("own"/"other"/"row") -> key value
    tag: str
    prerequisite: uuid.UUID = field(default_factory=uuid.uuid4)  # a second org-A milestone (column cells)


def new_fixture(personas: tuple[am.Persona, ...] = am.PERSONAS) -> Fixture:
    """Fresh random identifiers (nothing is written yet)."""
    tag = uuid.uuid4().hex[:12]
    rows: dict[str, dict[str, Any]] = {
        t.name: {"own": uuid.uuid4(), "other": uuid.uuid4()} for t in am.TABLES if t.org_scoped
    }
    rows["milestone_templates"] = {"row": uuid.uuid4()}
    rows["health_score_config"] = {"row": True}
    rows["sla_targets"] = {"row": "low"}
    return Fixture(
        org={"a": uuid.uuid4(), "b": uuid.uuid4()},
        client={"a": uuid.uuid4(), "b": uuid.uuid4(), "move": uuid.uuid4()},
        users={p.name: uuid.uuid4() for p in personas if p.signed_in},
        rows=rows,
        tag=tag,
    )


def platform_rows(fixture: Fixture, schema: str = "public",
                  personas: tuple[am.Persona, ...] = am.PERSONAS) -> list[platform_fixture.PlatformTable]:
    """The fixture's rows in the platform's tables, with the columns it sets itself (the others a
    platform requires are filled by :mod:`healthschema.checks.platform_fixture`)."""
    by_name = {p.name: p for p in personas}
    tag = fixture.tag
    organizations = [{"id": str(fixture.org[o]), "name": f"policy-check organization {o.upper()}",
                      "slug": f"policy-check-{o}-{tag}"} for o in ("a", "b")]
    users = [{"id": str(uid), "email": f"{name}.{tag}@policy-check.invalid",
              "raw_app_meta_data": _app_metadata(by_name[name])} for name, uid in fixture.users.items()]
    profiles = [{"user_id": str(fixture.users[p.name]), "organization_id": str(fixture.org["a"]), "role": p.org_role}
                for p in personas if p.org_role]
    clients = [{"id": str(fixture.client[key]), "organization_id": str(fixture.org[org]), "first_name": "Policy",
                "last_name": last} for key, org, last in (("a", "a", "Check A"), ("b", "b", "Check B"),
                                                          ("move", "b", "Check move target"))]
    rows: dict[str, list[dict[str, Any]]] = {
        "organizations": organizations, "users": users, "user_profiles": profiles, "clients": clients}
    return [platform_fixture.PlatformTable(table_schema, table, rows[table])
            for table_schema, table, _ in platform_fixture.tables(schema)]


def create_fixture(conn: db.Connection, fixture: Fixture, schema: str = "public",
                   personas: tuple[am.Persona, ...] = am.PERSONAS) -> None:
    """Write the fixture as the connecting owner (the caller owns the transaction).

    :raises DatabaseError: a platform column cannot be filled (named), or a platform row cannot be written.
    """
    platform_fixture.write(conn, platform_rows(fixture, schema, personas), fixture.tag, schema)
    assignee = next((fixture.users[p.name] for p in personas if p.assigned), None)
    params: dict[str, Any] = {
        "org_a": fixture.org["a"], "org_b": fixture.org["b"],
        "client_a": fixture.client["a"], "client_b": fixture.client["b"],
        "assignee": assignee,
        "template_key": f"policy_check_{fixture.tag}",
        "milestone_templates_a": fixture.rows["milestone_templates"]["row"],
        "prerequisite": fixture.prerequisite,
    }
    for table in am.TABLES:
        if table.org_scoped:
            params[f"{table.name}_a"] = fixture.rows[table.name]["own"]
            params[f"{table.name}_b"] = fixture.rows[table.name]["other"]
    psycopg.ClientCursor(conn).execute(db.packaged_query("policy_check/fixture", schema=schema), params)


def _app_metadata(persona: am.Persona) -> dict[str, str]:
    meta = {"provider": "email"}
    if persona.platform_role:
        meta["platform_role"] = persona.platform_role
    return meta


def claims(persona: am.Persona, fixture: Fixture) -> str:
    """The JWT claims PostgREST would put into ``request.jwt.claims`` for the persona."""
    if not persona.signed_in:
        return json.dumps({"role": persona.db_role})
    return json.dumps({
        "sub": str(fixture.users[persona.name]), "role": persona.db_role, "aud": "authenticated",
        "email": f"{persona.name}.{fixture.tag}@policy-check.invalid",
        "app_metadata": _app_metadata(persona), "user_metadata": {},
    })


# The statement of every cell, written out (no names built at run time): SELECT/UPDATE/DELETE of a row,
# an INSERT per table, and the owner's preparation before inserting a configuration table's one row.
BY_COMMAND = {"SELECT": "policy_check/select", "UPDATE": "policy_check/update", "DELETE": "policy_check/delete"}
INSERTS = {
    "customer_health": "policy_check/insert_customer_health",
    "success_milestones": "policy_check/insert_success_milestones",
    "support_interactions": "policy_check/insert_support_interactions",
    "milestone_templates": "policy_check/insert_milestone_templates",
    "health_score_config": "policy_check/insert_health_score_config",
    "sla_targets": "policy_check/insert_sla_targets",
}
# Bare twins (no RETURNING, so that only the policy's WITH CHECK decides) of the org tables' inserts
# and of the move; MOVE is keyed by "with RETURNING".
BARE_INSERTS = {
    "customer_health": "policy_check/insert_customer_health_bare",
    "success_milestones": "policy_check/insert_success_milestones_bare",
    "support_interactions": "policy_check/insert_support_interactions_bare",
}
MOVE = {True: "policy_check/move", False: "policy_check/move_bare"}
PREPARES = {
    "health_score_config": "policy_check/prepare_health_score_config",
    "sla_targets": "policy_check/prepare_sla_targets",
}


@dataclass(frozen=True)
class Statement:
    """The SQL of one cell: the packaged statement, its identifiers and parameters."""

    file: str
    identifiers: dict[str, str]
    params: dict[str, Any]
    prepare: str | None = None  # run as owner first (inside the cell's savepoint)
    bare: bool = False  # no RETURNING: classified by the row count, the effect read back as owner
    cursor: bool = False  # blind write to the row of the owner's cursor (WHERE CURRENT OF)


def statement(cell: am.Cell, fixture: Fixture, schema: str = "public", current: Any = None) -> Statement:
    """What to run for a cell (``current``: the row as the owner sees it, for column cells)."""
    table = am.TABLE_BY_NAME[cell.table]
    ids = {"schema": schema, "table": table.name, "key": table.key}
    if cell.command == "INSERT":
        stmt = _insert(table, cell.target, fixture, ids)
        if cell.returning:
            return stmt
        return Statement(BARE_INSERTS[table.name], ids, stmt.params, stmt.prepare, bare=True)
    key = fixture.rows[table.name][cell.target if cell.target != "move" else "own"]
    if cell.column is not None:
        value = column_value(cell.table, cell.column, (current or {}).get(cell.column), fixture)
        return Statement("policy_check/update_column", {**ids, "column": cell.column},
                         {"key": key, "value": value}, bare=True)
    if cell.target == "move":
        params = {"key": key, "organization_id": fixture.org["b"], "client_id": fixture.client["move"]}
        return Statement(MOVE[cell.returning], ids, params, bare=not cell.returning, cursor=not cell.returning)
    if cell.command == "UPDATE":
        ids["touch"] = table.touch
    return Statement(BY_COMMAND[cell.command], ids, {"key": key})


# Two valid values of each value-set column (a column cell sets the one that differs).
_CHOICES: dict[str, tuple[str, str]] = {
    "status": ("in_progress", "pending"), "priority": ("high", "medium"), "urgency": ("high", "medium"),
    "milestone_type": ("review", "custom"), "milestone_category": ("communication", "planning"),
    "assigned_team": ("support", "sales"), "interaction_type": ("churn_prevention", "health_check"),
    "interaction_category": ("billing", "success"), "interaction_method": ("phone", "email"),
    "churn_risk_level": ("high", "low"),
}
_TYPES: dict[str, str] = {
    "prerequisite_milestone_ids": "uuid[]", "dependent_milestone_ids": "uuid[]", "related_interaction_ids": "uuid[]",
    "supplier_dependencies": "text[]", "tags": "text[]",
}


def column_value(table: str, column: str, current: Any, fixture: Fixture) -> Any:
    """A valid value different from ``current`` for one column (bound as text; the server casts it)."""
    if column in _CHOICES:
        first, second = _CHOICES[column]
        if table == "support_interactions" and column == "status":
            first, second = "in_progress", "open"
        return first if current != first else second
    if column == "prerequisite_milestone_ids":
        return f"{{{fixture.prerequisite}}}"
    if column in _TYPES:
        return "{policy-check}" if _TYPES[column] == "text[]" else f"{{{uuid.uuid4()}}}"
    if column == "assigned_user_id":
        return None if current else str(fixture.users["nobody"])
    if column == "template_id":
        return None if current else str(fixture.rows["milestone_templates"]["row"])
    if column == "related_milestone_id":
        return None if current else str(fixture.rows["success_milestones"]["own"])
    if isinstance(current, bool) or column in _BOOLEAN_COLUMNS:
        return "false" if current else "true"
    if column.endswith(("_at",)):
        return "2030-01-01T00:00:00Z" if current != "2030-01-01T00:00:00+00:00" else "2030-01-02T00:00:00Z"
    if column.endswith(("_date",)):
        return "2030-01-01" if current != "2030-01-01" else "2030-01-02"
    if isinstance(current, dict) or column in _JSON_COLUMNS:
        return json.dumps({"policy_check": 1})
    if isinstance(current, int | float) or column in _NUMERIC_COLUMNS:
        return "2" if current != 2 else "3"
    return (current or "") + "x"


_BOOLEAN_COLUMNS = frozenset({
    "is_critical_path", "auto_generated", "requires_supplier_action", "sla_response_met", "sla_resolution_met",
    "customer_contacted", "customer_response_received", "follow_up_required",
})
_JSON_COLUMNS = frozenset({
    "trigger_conditions", "completion_triggers", "custom_fields", "trigger_threshold", "interaction_data",
    "ai_suggested_actions", "ai_risk_assessment", "communication_preferences",
})
_NUMERIC_COLUMNS = frozenset({
    "progress_percentage", "estimated_hours", "actual_hours", "health_score_impact", "engagement_score_impact",
    "progress_score_impact", "days_until_wedding", "health_score_at_interaction", "escalation_level",
    "sla_target_response_hours", "sla_target_resolution_hours", "customer_satisfaction_rating",
    "health_score_impact_predicted", "health_score_impact_actual", "engagement_impact", "satisfaction_impact",
    "ai_sentiment_score", "messages_sent", "messages_received", "total_touchpoints",
})


def _insert(table: am.Table, target: str, fixture: Fixture, ids: dict[str, str]) -> Statement:
    file = INSERTS[table.name]
    if table.org_scoped:
        org = "a" if target == "own" else "b"
        params: dict[str, Any] = {
            "key": uuid.uuid4(), "organization_id": fixture.org[org], "client_id": fixture.client[org],
        }
        return Statement(file, ids, params)
    if table.name == "milestone_templates":
        return Statement(file, ids, {"key": uuid.uuid4(), "template_key": f"policy_check_insert_{fixture.tag}"})
    key = fixture.rows[table.name]["row"]
    return Statement(file, ids, {"key": key}, prepare=PREPARES[table.name])


def run_cell(conn: db.Connection, cell: am.Cell, fixture: Fixture, schema: str = "public",
             personas: dict[str, am.Persona] | None = None) -> CellResult:
    """Run one cell in its own savepoint (always rolled back); the caller owns the transaction."""
    persona = (personas or am.PERSONA_BY_NAME)[cell.persona]
    table = am.TABLE_BY_NAME[cell.table]
    snapshot_ids = {"schema": schema, "table": table.name, "key": table.key}
    actual, detail, changed = "", "", False
    with conn.transaction(force_rollback=True):
        key = fixture.rows[table.name][cell.target if cell.target != "move" else "own"] \
            if cell.command != "INSERT" else None
        current = db.fetch_all(conn, "policy_check/snapshot", {"key": key}, **snapshot_ids) if key else []
        stmt = statement(cell, fixture, schema, current[0][0] if current else None)
        if stmt.prepare:
            db.execute_file(conn, stmt.prepare, {"key": stmt.params["key"]}, schema=schema)
        if stmt.cursor:
            db.execute_file(conn, "policy_check/declare_target", {"key": stmt.params["key"]}, **snapshot_ids)
            db.execute_file(conn, "policy_check/fetch_target")
        before = db.fetch_all(conn, "policy_check/snapshot", {"key": stmt.params["key"]}, **snapshot_ids)
        db.execute_file(conn, "policy_check/as", {"role": persona.db_role, "claims": claims(persona, fixture)})
        db.execute_file(conn, "policy_check/discard_plans")
        try:
            with conn.transaction():
                cursor = conn.execute(db.packaged_query(stmt.file, **stmt.identifiers), stmt.params)
                count = cursor.rowcount if stmt.bare else len(cursor.fetchall())
            actual = _classify_rows(count)
        except psycopg.Error as exc:
            actual = am.DENIED.value if exc.sqlstate == DENIED_SQLSTATE else "E"
            detail = db.describe_error(exc)
        db.execute_file(conn, "policy_check/reset")
        after = db.fetch_all(conn, "policy_check/snapshot", {"key": stmt.params["key"]}, **snapshot_ids)
        if cell.command != "SELECT" and actual != am.ALLOWED:
            changed = after != before
        elif stmt.bare and actual == am.ALLOWED and after == before:
            actual, detail = "E", "the write reported a row but the owner sees no change"
    if actual == am.DENIED and cell.expected == am.DENIED:
        detail = ""
    return CellResult(cell.persona, cell.table, cell.command, cell.target, cell.expected, actual, changed, detail,
                      cell.returning, cell.column)


def _classify_rows(count: int) -> str:
    if count == 1:
        return am.ALLOWED.value
    if count == 0:
        return am.FILTERED.value
    return "E"


def _fixture_hint(exc: psycopg.Error) -> str:
    """An accurate next step when the health rows of the fixture fail (the platform rows have their
    own, naming the column: :mod:`healthschema.checks.platform_fixture`)."""
    state = getattr(exc, "sqlstate", None)
    if state == "42P01":  # undefined_table
        return "apply the migrations first (healthschema apply)"
    if state == "42501":
        return "run policy-check as the owner of the schema"
    return "run `healthschema preflight` and `healthschema verify` to find what differs"


def run_matrix(conn: db.Connection, schema: str = "public",
               cells: list[am.Cell] | None = None) -> Iterator[CellResult]:
    """Create the fixture and run the cells, all inside one transaction that is rolled back."""
    fixture = new_fixture()
    with conn.transaction(force_rollback=True):
        try:
            with conn.transaction():
                create_fixture(conn, fixture, schema)
        except psycopg.Error as exc:
            raise DatabaseError(
                f"policy-check could not create its temporary rows: {db.describe_error(exc)}",
                hint=_fixture_hint(exc),
            ) from exc
        for cell in cells if cells is not None else am.all_cells():
            yield run_cell(conn, cell, fixture, schema)


def check_policies(url: str, schema: str = "public", private_schema: str = "healthschema_private") -> PolicyReport:
    """Run the whole access matrix and the security checks against ``url``; changes nothing.

    :raises DatabaseError: the database cannot be reached, or the fixture cannot be created (e.g. a
        table of the schema is missing).
    """
    with db.connection(url, autocommit=True) as conn:
        results = list(run_matrix(conn, schema))
    findings = security.security_findings(url, schema=schema, private_schema=private_schema)
    return PolicyReport(results, findings)
