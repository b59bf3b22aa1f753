"""Every CHECK of the health tables, property-based (hypothesis) against a real PostgreSQL.

For each named CHECK: generate valid and invalid values, insert one row per example inside a
savepoint of one connection, and assert that the database accepts the row exactly when the
specification says the value is valid — and that a rejection names that very constraint.
Triggers are switched off for these inserts (session_replication_role = replica) so that each
CHECK is tested on its own; the trigger behaviour has its own tests.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import psycopg
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from healthschema.files.project import Project
from tests.helpers import rolled_back
from tests.schema_rows import (
    JSON_NULL,
    REQUIRED,
    Conn,
    column_types,
    insert,
    new_client,
    new_org,
)

SETTINGS = settings(max_examples=30, deadline=None, database=None)
NOW = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
TODAY = dt.date(2026, 1, 1)


@dataclass(frozen=True)
class Check:
    """One CHECK: the columns it reads, how to generate values, and what is valid."""

    table: str
    constraint: str
    kind: str  # set | range | json_object | no_null_elements | pattern | row
    columns: tuple[str, ...]
    arg: Any = None
    base: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.constraint


def _c(table: str, column: str, kind: str, arg: Any = None, **base: Any) -> Check:
    return Check(table, f"{table}_{column}_check", kind, (column,), arg, dict(base))


CH, SM, SI, MT = "customer_health", "success_milestones", "support_interactions", "milestone_templates"
COMPLETE = {"progress_percentage": Decimal(100), "completed_at": NOW, "actual_completion_date": TODAY}

CHECKS: list[Check] = [
    # milestone_templates
    Check(MT, "milestone_templates_template_key_check", "pattern", ("template_key",), r"[a-z][a-z0-9_]*"),
    _c(MT, "milestone_type", "set", "milestone_type"),
    _c(MT, "milestone_category", "set", "milestone_category"),
    _c(MT, "priority", "set", "priority"),
    _c(MT, "due_anchor", "set", "due_anchor"),
    _c(MT, "prerequisite_keys", "no_null_elements", "text"),
    *[_c(MT, c, "range", (-100, 100)) for c in ("health_score_impact", "engagement_score_impact",
                                                 "progress_score_impact")],
    # customer_health
    *[_c(CH, c, "range", (0, 100)) for c in (
        "overall_health_score", "engagement_score", "progress_score", "satisfaction_score", "churn_risk_score",
        "form_completion_rate", "task_completion_rate", "response_rate", "wedding_progress_percentage")],
    *[_c(CH, c, "range", (0, None)) for c in (
        "total_logins", "days_since_last_activity", "session_duration_avg_minutes", "messages_sent",
        "messages_received", "milestones_completed", "overdue_tasks", "support_tickets_count",
        "payment_issues_count")],
    _c(CH, "health_status", "set", "score_status"),
    _c(CH, "billing_status", "set", "billing_status"),
    _c(CH, "features_used", "json_object"),
    _c(CH, "factors_considered", "json_object"),
    # success_milestones (the completion columns are filled so that every status is possible)
    _c(SM, "milestone_type", "set", "milestone_type"),
    _c(SM, "milestone_category", "set", "milestone_category"),
    _c(SM, "status", "set", "milestone_status", **COMPLETE),
    _c(SM, "priority", "set", "priority"),
    _c(SM, "assigned_team", "set", "team"),
    _c(SM, "progress_percentage", "range", (0, 100)),
    _c(SM, "estimated_hours", "range", (0, None)),
    _c(SM, "actual_hours", "range", (0, None)),
    *[_c(SM, c, "range", (-100, 100)) for c in ("health_score_impact", "engagement_score_impact",
                                                 "progress_score_impact")],
    _c(SM, "prerequisite_milestone_ids", "no_null_elements", "uuid"),
    _c(SM, "dependent_milestone_ids", "no_null_elements", "uuid"),
    _c(SM, "supplier_dependencies", "no_null_elements", "text"),
    *[_c(SM, c, "json_object") for c in ("trigger_conditions", "completion_triggers", "custom_fields")],
    Check(SM, "success_milestones_completion_check", "row",
          ("status", "progress_percentage", "completed_at", "actual_completion_date"), "completion"),
    # support_interactions (resolved_at is filled so that every status is possible)
    _c(SI, "interaction_type", "set", "interaction_type"),
    _c(SI, "interaction_category", "set", "interaction_category"),
    _c(SI, "interaction_method", "set", "interaction_method"),
    _c(SI, "churn_risk_level", "set", "risk_level"),
    _c(SI, "priority", "set", "priority"),
    _c(SI, "urgency", "set", "priority"),
    _c(SI, "assigned_team", "set", "team"),
    _c(SI, "status", "set", "interaction_status", resolved_at=NOW),
    _c(SI, "health_score_at_interaction", "range", (0, 100)),
    _c(SI, "escalation_level", "range", (0, 5)),
    _c(SI, "customer_satisfaction_rating", "range", (1, 5)),
    _c(SI, "ai_sentiment_score", "range", (-100, 100)),
    *[_c(SI, c, "range", (-100, 100)) for c in ("health_score_impact_predicted", "health_score_impact_actual",
                                                 "engagement_impact", "satisfaction_impact")],
    *[_c(SI, c, "range", (0, None)) for c in ("messages_sent", "messages_received", "total_touchpoints")],
    *[_c(SI, c, "range", (1, None)) for c in ("sla_target_response_hours", "sla_target_resolution_hours")],
    _c(SI, "related_interaction_ids", "no_null_elements", "uuid"),
    _c(SI, "tags", "no_null_elements", "text"),
    *[_c(SI, c, "json_object") for c in ("interaction_data", "ai_risk_assessment", "communication_preferences",
                                          "custom_fields")],
    Check(SI, "support_interactions_sla_targets_check", "row",
          ("sla_target_response_hours", "sla_target_resolution_hours"), "sla_targets"),
    Check(SI, "support_interactions_resolution_check", "row", ("status", "resolved_at"), "resolution"),
]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    nullable: bool
    length: int | None
    precision: int | None
    scale: int | None


def _columns(conn: Conn, table: str) -> dict[str, Column]:
    rows = conn.execute(
        """SELECT column_name, data_type, is_nullable = 'YES', character_maximum_length,
                  numeric_precision, numeric_scale
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s""",
        (table,),
    ).fetchall()
    return {r[0]: Column(*r) for r in rows}


# --- value strategies: (strategy of values, predicate "valid per the spec") -------------------

_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=24)


def _fits(column: Column) -> Callable[[Any], bool]:
    return lambda v: v is None or column.length is None or len(v) <= column.length


def _set_values(values: list[str], column: Column) -> st.SearchStrategy[Any]:
    near = [m for v in values for m in (v.upper(), v.title(), f" {v}", f"{v} ", v.replace("_", " "), v[:-1])]
    near = [m for m in near if m not in values]
    options = st.one_of(st.sampled_from(values), st.sampled_from(near), _TEXT)
    return (st.none() | options if column.nullable else options).filter(_fits(column))


def _numbers(column: Column, low: int | None, high: int | None) -> st.SearchStrategy[Any]:
    if column.type == "integer":
        edges = [e for b in (low, high) if b is not None for e in (b - 1, b, b + 1)]
        values: st.SearchStrategy[Any] = st.integers(-(2**31), 2**31 - 1) | st.sampled_from(edges)
    else:
        assert column.precision is not None and column.scale is not None
        step = Decimal(1).scaleb(-column.scale)
        limit = Decimal(10) ** (column.precision - column.scale) - step
        edges = [e for b in (low, high) if b is not None for e in (b - step, Decimal(b), b + step)]
        values = st.decimals(-limit, limit, places=column.scale) | st.sampled_from(edges)
    return st.none() | values if column.nullable else values


def _in_range(low: int | None, high: int | None) -> Callable[[Any], bool]:
    return lambda v: v is None or ((low is None or v >= low) and (high is None or v <= high))


_KEY = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=5)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | _KEY,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEY, inner, max_size=3),
    max_leaves=6,
)
# A jsonb value at the top level: SQL NULL (None), JSON null (JSON_NULL) or any other JSON value.
_JSON_TOP = st.just(JSON_NULL) | _JSON.filter(lambda v: v is not None)


def _array(element: str, column: Column) -> st.SearchStrategy[Any]:
    item = st.uuids() if element == "uuid" else _TEXT.filter(lambda s: s != "")
    flat = st.lists(st.none() | item, max_size=4)
    square = st.integers(1, 3).flatmap(lambda n: st.lists(st.lists(item, min_size=n, max_size=n), min_size=1,
                                                          max_size=3))
    values = flat | square  # square: a two-dimensional array, never a valid list
    return st.none() | values if column.nullable else values


def _is_flat_without_nulls(value: Any) -> bool:
    return value is None or all(v is not None and not isinstance(v, list) for v in value)


def _row_values(kind: str) -> tuple[st.SearchStrategy[Any], Callable[[Any], bool]]:
    if kind == "completion":
        strategy = st.tuples(
            st.sampled_from(["pending", "in_progress", "completed", "skipped"]),
            st.sampled_from([Decimal(0), Decimal("99.99"), Decimal(100)]) | st.decimals(0, 100, places=2),
            st.none() | st.just(NOW), st.none() | st.just(TODAY),
        )
        return strategy, lambda v: v[0] != "completed" or (v[1] == 100 and v[2] is not None and v[3] is not None)
    if kind == "sla_targets":
        hours = st.none() | st.integers(1, 500)
        return st.tuples(hours, hours), lambda v: v[0] is None or v[1] is None or v[1] >= v[0]
    assert kind == "resolution"
    strategy = st.tuples(
        st.sampled_from(["open", "in_progress", "pending_customer", "resolved", "closed", "escalated"]),
        st.none() | st.just(NOW),
    )
    return strategy, lambda v: v[0] not in ("resolved", "closed") or v[1] is not None


def _strategy(check: Check, columns: dict[str, Column], project: Project) -> tuple[
        st.SearchStrategy[Any], Callable[[Any], bool]]:
    if check.kind == "row":
        strategy, predicate = _row_values(check.arg)
        return st.sampled_from(_ROW_EDGES[check.arg]) | strategy, predicate
    column = columns[check.columns[0]]
    if check.kind == "set":
        values = list(project.variables["value_sets"][check.arg])
        return _set_values(values, column), lambda v: v is None or v in values
    if check.kind == "range":
        low, high = check.arg
        return _numbers(column, low, high), _in_range(low, high)
    if check.kind == "json_object":
        return (st.none() | _JSON_TOP) if column.nullable else _JSON_TOP, lambda v: v is None or isinstance(v, dict)
    if check.kind == "no_null_elements":
        return _array(check.arg, column), _is_flat_without_nulls
    assert check.kind == "pattern"
    pattern = re.compile(check.arg)
    strategy = (st.from_regex(pattern, fullmatch=True) | _TEXT).filter(_fits(column))
    return strategy, lambda v: pattern.fullmatch(v) is not None


_ROW_EDGES = {
    "completion": (("completed", Decimal(100), NOW, TODAY), ("completed", Decimal("99.99"), NOW, TODAY)),
    "sla_targets": ((4, 4), (5, 4)),
    "resolution": (("resolved", NOW), ("closed", None)),
}


def _edges(check: Check, project: Project) -> tuple[Any, Any]:
    """One valid and one invalid value, always tried (hypothesis explicit examples)."""
    if check.kind == "row":
        return _ROW_EDGES[check.arg]
    if check.kind == "set":
        first = project.variables["value_sets"][check.arg][0]
        return first, first.upper()
    if check.kind == "range":
        return check.arg[0], check.arg[0] - 1
    if check.kind == "json_object":
        return {"a": 1}, [1]
    if check.kind == "no_null_elements":
        return [], [None]  # a two-dimensional array is generated often enough
    return "a_1", "1a"


@pytest.fixture
def db(shared_conn: Conn) -> Iterator[Conn]:
    """The shared connection inside a transaction that is rolled back after the test."""
    with rolled_back(shared_conn):
        yield shared_conn


@pytest.fixture
def rows(db: Conn) -> dict[str, Any]:
    org = new_org(db)
    return {"organization_id": org, "client_id": new_client(db, org)}


def _base(check: Check, rows: dict[str, Any]) -> dict[str, Any]:
    base = dict(REQUIRED[check.table])
    if check.table != MT:
        base.update(rows)
    return {**base, **check.base}


def _accepted(conn: Conn, check: Check, values: dict[str, Any], types: dict[str, str], json: frozenset[str]) -> bool:
    try:
        with rolled_back(conn):
            insert(conn, check.table, values, types, json)
    except psycopg.errors.CheckViolation as exc:
        assert exc.diag.constraint_name == check.constraint, f"{values} violated {exc.diag.constraint_name}"
        return False
    return True


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_check_accepts_exactly_the_valid_values(
    db: Conn, rows: dict[str, Any], project: Project, check: Check
) -> None:
    conn = db
    columns = _columns(conn, check.table)
    types = column_types(conn, check.table)
    json = frozenset(n for n, c in columns.items() if c.type == "jsonb")
    strategy, valid = _strategy(check, columns, project)
    good, bad = _edges(check, project)
    assert valid(good) and not valid(bad)
    seen = {True: 0, False: 0}

    @SETTINGS
    @example(good)
    @example(bad)
    @given(strategy)
    def run(value: Any) -> None:
        chosen = dict(zip(check.columns, value, strict=True)) if check.kind == "row" else {check.columns[0]: value}
        expected = valid(value)
        assert _accepted(conn, check, {**_base(check, rows), **chosen}, types, json) is expected, value
        seen[expected] += 1

    conn.execute("SET LOCAL session_replication_role = replica")
    run()
    assert seen[True] > 1 and seen[False] > 1, f"{check.constraint}: too few valid or invalid examples: {seen}"


def test_every_check_constraint_is_tested(db: Conn) -> None:
    """The list above covers every CHECK on our four tables: a new CHECK needs a property test."""
    names = {r[0] for r in db.execute(
        """SELECT conname FROM pg_constraint WHERE contype = 'c' AND conrelid IN (
               'public.customer_health'::regclass, 'public.success_milestones'::regclass,
               'public.support_interactions'::regclass, 'public.milestone_templates'::regclass)""")}
    assert names == {c.constraint for c in CHECKS}


def test_named_checks_follow_the_naming_rule() -> None:
    for check in CHECKS:
        assert check.constraint.startswith(f"{check.table}_") and check.constraint.endswith("_check")


def test_a_rejected_value_is_reported_with_sqlstate_23514(db: Conn, rows: dict[str, Any]) -> None:
    with pytest.raises(psycopg.errors.CheckViolation) as info, db.transaction():
        db.execute(
            "INSERT INTO public.support_interactions (client_id, organization_id, interaction_type,"
            " interaction_category, interaction_method, subject, status) VALUES (%s, %s, 'support_ticket',"
            " 'support', 'email', 'x', 'Open')", (rows["client_id"], rows["organization_id"]))
    assert info.value.sqlstate == "23514"
    assert info.value.diag.constraint_name == "support_interactions_status_check"


@pytest.mark.parametrize("table", [CH, SM, SI])
def test_organization_rule_accepts_exactly_the_clients_own_organization(db: Conn, table: str) -> None:
    """The organization rule (a trigger, SQLSTATE 23514) as a property: any client (including one
    without an organization) with any organization is accepted exactly when they belong together."""
    orgs = [new_org(db, f"o{i}") for i in range(3)]
    clients = [(new_client(db, org), org) for org in (*orgs, orgs[0], None)]
    types = column_types(db, table)
    outcomes: set[bool] = set()

    @SETTINGS
    @example(0, 0)
    @example(0, 1)
    @example(len(clients) - 1, 0)
    @given(st.integers(0, len(clients) - 1), st.integers(0, len(orgs) - 1))
    def run(client_index: int, org_index: int) -> None:
        client, client_org = clients[client_index]
        values = {**REQUIRED[table], "client_id": client, "organization_id": orgs[org_index]}
        try:
            with rolled_back(db):
                insert(db, table, values, types)
            accepted = True
        except psycopg.errors.CheckViolation as exc:
            assert exc.diag.constraint_name is None and str(client) in str(exc)  # the trigger, not a CHECK
            accepted = False
        assert accepted is (client_org == orgs[org_index])
        outcomes.add(accepted)

    run()
    assert outcomes == {True, False}
