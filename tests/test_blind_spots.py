"""Regression tests for the suite's own blind spots (issue 14): a mutation audit found that none of
these subtler changes failed any test. Each test here fails on such a mutant.

2. verify ignoring a WITH CHECK difference;
3. the key columns of an index swapped (nothing compared them with docs/schema.md);
4. the refresh job's overdue boundary (``<`` vs ``<=`` on the due day);
5. the refresh job's 30- and 90-day windows.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from healthschema.checks import verify
from healthschema.files.project import Project
from tests import health_data as hd
from tests.conftest import REPO
from tests.helpers import rolled_back

conn = hd.shared_connection()


@pytest.fixture
def own(applied_db: str) -> Iterator[hd.Conn]:
    """A deployed database of its own, inside a transaction rolled back after the test (now() is
    constant): the refresh tests write support interactions, whose dead rows would otherwise change
    the shared database's statistics under the planner tests."""
    with psycopg.connect(applied_db, autocommit=True) as connection, rolled_back(connection):
        yield connection

MILESTONE_UPDATE_CHECK_WITHOUT_OWN_ORG = (
    "ALTER POLICY success_milestones_update ON public.success_milestones WITH CHECK ("
    "organization_id = ANY ((SELECT healthschema_private.admin_organization_ids())::uuid[])"
    " OR assigned_user_id = (SELECT auth.uid())"
    " OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success'))")


def test_verify_reports_a_changed_with_check(conn: hd.Conn, project: Project) -> None:
    """Blind spot 2: the assignee's own-organization condition dropped from WITH CHECK only."""
    assert verify.verify_connection(project, conn).ok
    conn.execute(MILESTONE_UPDATE_CHECK_WITHOUT_OWN_ORG)
    report = verify.verify_connection(project, conn)
    problems = report.problems()
    assert not report.ok
    changed = [p for p in problems if "public.success_milestones.success_milestones_update" in p]
    assert changed and "with_check" in changed[0], problems
    assert "using:" not in changed[0]  # USING is unchanged: only the WITH CHECK difference is named


# --- 3. index key columns against docs/schema.md ------------------------------------------------

_DOC_ROW = re.compile(r"^\| `(?P<name>\w+_(?:idx|key))` \| (?P<definition>[^|]+) \|", re.M)


def _documented_indexes() -> dict[str, str]:
    text = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    return {m["name"]: m["definition"].strip() for m in _DOC_ROW.finditer(text)}


def _shape(definition: str) -> tuple[bool, str, str, bool]:
    """(unique, method, key columns, partial) of a documented or catalog definition."""
    unique = bool(re.match(r"(CREATE )?UNIQUE\b", definition))
    method_match = re.search(r"USING (\w+) \(", definition) or re.match(r"(?:UNIQUE )?(GIN|GIST|BRIN|HASH) \(",
                                                                         definition)
    method = method_match.group(1).lower() if method_match else "btree"
    keys = re.search(r"\(([^()]*(?:\([^()]*\)[^()]*)*)\)", definition.split(" USING ", 1)[-1])
    assert keys is not None, definition
    return unique, method, " ".join(keys.group(1).split()), " WHERE " in f" {definition} "


def test_index_key_columns_match_docs(shared_conn: psycopg.Connection[tuple[Any, ...]]) -> None:
    """Blind spot 3: every index of the three tables has the keys docs/schema.md documents."""
    documented = _documented_indexes()
    live = dict(shared_conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN"
        " ('customer_health', 'success_milestones', 'support_interactions') AND indexname NOT LIKE '%_pkey'"
    ).fetchall())
    assert len(live) == 28 and set(documented) == set(live)
    differing = {name: (documented[name], live[name]) for name in live
                 if _shape(documented[name]) != _shape(live[name])}
    assert differing == {}


def test_index_shape_comparison_notices_swapped_keys() -> None:
    doc = "(client_id, calculated_at DESC)"
    assert _shape(doc) == _shape("CREATE INDEX x ON public.t USING btree (client_id, calculated_at DESC)")
    assert _shape(doc) != _shape("CREATE INDEX x ON public.t USING btree (calculated_at DESC, client_id)")
    assert _shape("GIN (trigger_conditions jsonb_path_ops)") == _shape(
        "CREATE INDEX x ON public.t USING gin (trigger_conditions jsonb_path_ops)")
    assert _shape("UNIQUE (client_id) WHERE is_current") != _shape("CREATE INDEX x ON t USING btree (client_id)")


# --- 4 and 5. the refresh job's boundaries --------------------------------------------------------

def _refresh_current(conn: hd.Conn, organization: uuid.UUID, client: uuid.UUID) -> hd.Row:
    conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,))
    rows = hd.fetch(conn, "SELECT * FROM public.customer_health WHERE client_id = %s AND is_current", (client,))
    assert len(rows) == 1
    return rows[0]


def _at(conn: hd.Conn, ago: str) -> Any:
    return conn.execute("SELECT now() - %s::interval", (ago,)).fetchone()[0]  # type: ignore[index]


def test_a_milestone_due_today_is_not_overdue(own: hd.Conn) -> None:
    conn = own
    """Blind spot 4: overdue means target_completion_date < today, so the due day itself is not."""
    organization = hd.org(conn)
    client = hd.client(conn, organization)
    today, yesterday = conn.execute("SELECT current_date, current_date - 1").fetchone()  # type: ignore[misc]
    hd.milestone(conn, client, organization, status="in_progress", target_completion_date=today)
    hd.milestone(conn, client, organization, status="in_progress", target_completion_date=yesterday)
    hd.milestone(conn, client, organization, target_completion_date=today)
    row = _refresh_current(conn, organization, client)
    assert row["overdue_tasks"] == 1


def test_the_30_day_activity_window_includes_its_first_instant(own: hd.Conn) -> None:
    conn = own
    """Blind spot 5: logins and other actions count from exactly 30 days ago, not one minute earlier."""
    organization = hd.org(conn)
    client = hd.client(conn, organization, created_at=_at(conn, "200 days"))
    for action in ("login", "form_submit"):
        for ago in ("30 days", "30 days 1 minute"):
            conn.execute("INSERT INTO public.activity_logs (organization_id, client_id, action, created_at)"
                         " VALUES (%s, %s, %s, now() - %s::interval)", (organization, client, action, ago))
    factors = _refresh_current(conn, organization, client)["factors_considered"]
    assert (factors["logins_30d"], factors["other_actions_30d"]) == (1, 1)


def test_the_90_day_support_window_includes_its_first_instant(own: hd.Conn) -> None:
    conn = own
    """Blind spot 5: ratings, SLA breaches and messages count from exactly 90 days ago."""
    organization = hd.org(conn)
    client = hd.client(conn, organization, created_at=_at(conn, "200 days"))
    for ago, rating, sent in (("90 days", 5, 3), ("90 days 1 minute", 1, 7)):
        created = _at(conn, ago)
        hd.interaction(conn, client, organization, created_at=created, priority="low", status="closed",
                       first_response_at=created + timedelta(hours=1),
                       resolved_at=created + timedelta(hours=200),  # past the 120 h target: a breach
                       customer_satisfaction_rating=rating, messages_sent=sent)
    row = _refresh_current(conn, organization, client)
    factors = row["factors_considered"]
    assert (factors["ratings_90d"], factors["sla_breaches_90d"]) == (1, 1)
    assert row["satisfaction_score"] == 100  # (5 - 1) * 25: the older rating of 1 is outside
    assert row["messages_sent"] == 3
