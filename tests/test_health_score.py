"""customer_health triggers (SPEC §2.4): weighted overall score, health_status, current snapshot.

Expected values are computed by hand from healthschema.toml: weights engagement 0.35,
progress 0.25, satisfaction 0.20, churn 0.20 (churn counts as 100 - churn_risk_score);
thresholds excellent 80, good 60, at_risk 40.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import health_data as hd

conn = hd.shared_connection()

T0 = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
D = Decimal


@pytest.fixture
def owner(conn: hd.Conn) -> tuple[hd.Conn, uuid.UUID, uuid.UUID]:
    organization = hd.org(conn)
    return conn, hd.client(conn, organization), organization


# (engagement, progress, satisfaction, churn_risk) -> (overall, status)
CASES = [
    ((80, 80, 80, 20), ("80.00", "excellent")),
    ((80, 80, 80, "20.05"), ("79.99", "good")),      # 28 + 20 + 16 + 0.2 * 79.95 = 79.99
    ((60, 60, 60, 40), ("60.00", "good")),
    ((60, 60, 60, "40.05"), ("59.99", "at_risk")),
    ((40, 40, 40, 60), ("40.00", "at_risk")),
    ((40, 40, 40, "60.05"), ("39.99", "critical")),
    ((100, 100, 100, 0), ("100.00", "excellent")),
    ((0, 0, 0, 100), ("0.00", "critical")),
    (("10.01", 0, 0, 100), ("3.50", "critical")),    # 0.35 * 10.01 = 3.5035 -> 3.50
    (("10.03", 0, 0, 100), ("3.51", "critical")),    # 0.35 * 10.03 = 3.5105 -> 3.51
    ((80, 60, None, 30), ("71.25", "good")),         # (28 + 15 + 14) / 0.8 = 71.25
    ((90, 90, None, 10), ("90.00", "excellent")),    # (31.5 + 22.5 + 18) / 0.8 = 90
]


@pytest.mark.parametrize(("dims", "expected"), CASES)
def test_overall_score_and_status(owner, dims: tuple[object, ...], expected: tuple[str, str]) -> None:
    conn, client, organization = owner
    engagement, progress, satisfaction, churn = dims
    row = hd.snapshot(conn, client, organization, engagement_score=engagement, progress_score=progress,
                      satisfaction_score=satisfaction, churn_risk_score=churn, overall_health_score=12)
    assert (row["overall_health_score"], row["health_status"]) == (Decimal(expected[0]), expected[1])


def test_update_never_rescores(owner) -> None:
    """A written snapshot is immutable (SPEC §2.4): changing a dimension score is refused."""
    conn, client, organization = owner
    row = hd.snapshot(conn, client, organization, engagement_score=80, progress_score=80,
                      satisfaction_score=80, churn_risk_score=20)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState), conn.transaction():
        hd.update(conn, "customer_health", row["id"], {"churn_risk_score": 100})


def test_thresholds_and_weights_come_from_the_config(owner) -> None:
    conn, client, organization = owner
    conn.execute("UPDATE public.health_score_config SET threshold_excellent = 90, weight_engagement = 0.55,"
                  " weight_progress = 0.05")
    row = hd.snapshot(conn, client, organization, engagement_score=100, progress_score=0,
                      satisfaction_score=80, churn_risk_score=20)
    # 0.55 * 100 + 0.05 * 0 + 0.2 * 80 + 0.2 * 80 = 87 -> good (< 90)
    assert (row["overall_health_score"], row["health_status"]) == (Decimal("87.00"), "good")


def test_missing_config_is_a_clear_error(owner) -> None:
    conn, client, organization = owner
    conn.execute("DELETE FROM public.health_score_config")
    with pytest.raises(psycopg.errors.NotNullViolation, match="health_score_config"), conn.transaction():
        hd.snapshot(conn, client, organization)


def test_satisfaction_weight_of_one_is_rejected(conn: hd.Conn) -> None:
    with pytest.raises(psycopg.errors.CheckViolation, match="satisfaction_below_one"), conn.transaction():
        conn.execute("UPDATE public.health_score_config SET weight_satisfaction = 1, weight_engagement = 0,"
                     " weight_progress = 0, weight_churn_risk = 0")


def current(conn: hd.Conn, client: uuid.UUID) -> list[uuid.UUID]:
    rows = hd.fetch(conn, "SELECT id FROM public.customer_health WHERE client_id = %s AND is_current", (client,))
    return [r["id"] for r in rows]


def test_each_new_snapshot_becomes_current(owner) -> None:
    conn, client, organization = owner
    ids = [hd.snapshot(conn, client, organization, calculated_at=T0 + timedelta(hours=i))["id"] for i in range(3)]
    assert current(conn, client) == [ids[-1]]


def test_supplied_is_current_is_ignored(owner) -> None:
    conn, client, organization = owner
    first = hd.snapshot(conn, client, organization, calculated_at=T0 + timedelta(hours=1))
    late = hd.snapshot(conn, client, organization, calculated_at=T0, is_current=True)
    assert late["is_current"] is False
    assert current(conn, client) == [first["id"]]


def test_backdated_snapshot_does_not_become_current(owner) -> None:
    conn, client, organization = owner
    latest = hd.snapshot(conn, client, organization, calculated_at=T0)
    hd.snapshot(conn, client, organization, calculated_at=T0 - timedelta(days=1))
    assert current(conn, client) == [latest["id"]]


def test_tie_goes_to_the_new_row(owner) -> None:
    conn, client, organization = owner
    hd.snapshot(conn, client, organization, calculated_at=T0)
    newer = hd.snapshot(conn, client, organization, calculated_at=T0)
    assert current(conn, client) == [newer["id"]]


def test_many_rows_in_one_statement(owner) -> None:
    conn, client, organization = owner
    other = hd.client(conn, organization)
    old = hd.snapshot(conn, client, organization, calculated_at=T0 - timedelta(days=5))
    rows = conn.execute(
        """INSERT INTO public.customer_health (client_id, organization_id, calculated_at)
           VALUES (%(a)s, %(o)s, %(t)s + interval '1 hour'), (%(a)s, %(o)s, %(t)s + interval '3 hours'),
                  (%(a)s, %(o)s, %(t)s + interval '2 hours'), (%(b)s, %(o)s, %(t)s),
                  (%(b)s, %(o)s, %(t)s - interval '1 day')
           RETURNING id, client_id, calculated_at""",
        {"a": client, "b": other, "o": organization, "t": T0},
    ).fetchall()
    latest_a = next(r[0] for r in rows if r[1] == client and r[2] == T0 + timedelta(hours=3))
    latest_b = next(r[0] for r in rows if r[1] == other and r[2] == T0)
    assert current(conn, client) == [latest_a]
    assert current(conn, other) == [latest_b]
    assert latest_a != old["id"]


def test_one_current_per_client_across_many_statements(owner) -> None:
    conn, client, organization = owner
    for i in range(20):
        hd.snapshot(conn, client, organization, calculated_at=T0 + timedelta(minutes=(i * 7) % 11))
    counts = hd.fetch(conn, "SELECT count(*) FILTER (WHERE is_current) AS n, max(calculated_at) AS latest"
                            " FROM public.customer_health WHERE client_id = %s", (client,))
    assert counts[0]["n"] == 1
    row = hd.fetch(conn, "SELECT calculated_at FROM public.customer_health WHERE client_id = %s AND is_current",
                   (client,))
    assert row[0]["calculated_at"] == counts[0]["latest"]


def test_updated_at_moves(owner) -> None:
    conn, client, organization = owner
    row = hd.snapshot(conn, client, organization, updated_at=T0, calculated_at=T0)
    hd.snapshot(conn, client, organization, calculated_at=T0 + timedelta(hours=1))  # unmarks the first
    assert hd.fetch(conn, "SELECT updated_at FROM public.customer_health WHERE id = %s",
                    (row["id"],))[0]["updated_at"] > T0
    for table, where in (("health_score_config", "true"), ("sla_targets", "priority = 'critical'"),
                         ("milestone_templates", "template_key = 'onboarding'")):
        before = hd.fetch(conn, f"SELECT updated_at FROM public.{table} WHERE {where}")[0]["updated_at"]
        after = hd.fetch(conn, f"UPDATE public.{table} SET updated_at = updated_at WHERE {where} RETURNING updated_at")
        assert after[0]["updated_at"] > before, table


DOCUMENTED = [
    "health_overall_score(numeric, numeric, numeric, numeric)", "health_status_for(numeric)",
    "customer_health_score()", "refresh_customer_health(uuid)",
    "sync_client_changes(uuid, uuid)", "instantiate_milestone_templates(text)",
    "success_milestone_lifecycle()", "success_milestone_link_dependents()", "success_milestone_check_inserted()",
    "support_interaction_sla()",
]


def test_formulas_doc_quotes_the_function_comments(conn: hd.Conn) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "formulas.md").read_text(encoding="utf-8")
    for function in DOCUMENTED:
        row = conn.execute("SELECT obj_description(%s::regprocedure, 'pg_proc')",
                           (f"healthschema_private.{function}",)).fetchone()
        assert row is not None and row[0], function
        assert f"\n> {row[0]}\n" in doc, function


# Property-based: the database agrees with the documented formula for any valid scores -------------
SCORE = st.decimals(min_value=0, max_value=100, places=2)


def expected_overall(e: Decimal, p: Decimal, s: Decimal | None, c: Decimal) -> Decimal:
    if s is None:
        raw = (D("0.35") * e + D("0.25") * p + D("0.20") * (100 - c)) / D("0.80")
    else:
        raw = D("0.35") * e + D("0.25") * p + D("0.20") * s + D("0.20") * (100 - c)
    return raw.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def expected_status(score: Decimal) -> str:
    return "excellent" if score >= 80 else "good" if score >= 60 else "at_risk" if score >= 40 else "critical"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(e=SCORE, p=SCORE, s=st.none() | SCORE, c=SCORE)
def test_overall_score_property(conn: hd.Conn, e: Decimal, p: Decimal, s: Decimal | None, c: Decimal) -> None:
    row = conn.execute(
        "SELECT o, healthschema_private.health_status_for(o)"
        " FROM (SELECT healthschema_private.health_overall_score(%s, %s, %s, %s) AS o) AS x",
        (e, p, s, c)).fetchone()
    overall = expected_overall(e, p, s, c)
    assert row == (overall, expected_status(overall))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(st.integers(0, 10_000), min_size=1, max_size=4), min_size=1, max_size=5))
def test_current_marker_property(conn: hd.Conn, batches: list[list[int]]) -> None:
    """Whatever the batches of snapshots, the current one is the latest calculated_at (unique minutes)."""
    minutes = iter(range(10**6))
    with conn.transaction(force_rollback=True):
        organization = hd.org(conn)
        client = hd.client(conn, organization)
        seen: set[int] = set()
        for batch in batches:
            offsets = [o for o in dict.fromkeys(batch) if o not in seen] or [10_001 + next(minutes)]
            seen.update(offsets)
            conn.execute(
                "INSERT INTO public.customer_health (client_id, organization_id, calculated_at)"
                " SELECT %s, %s, %s::timestamptz + o * interval '1 minute' FROM unnest(%s::int[]) AS o",
                (client, organization, T0, offsets))
        rows = conn.execute("SELECT calculated_at FROM public.customer_health WHERE client_id = %s AND is_current",
                            (client,)).fetchall()
        assert rows == [(T0 + timedelta(minutes=max(seen)),)]


def test_service_role_writes_go_through_the_triggers(conn: hd.Conn) -> None:
    organization = hd.org(conn)
    client = hd.client(conn, organization)
    with conn.transaction():
        conn.execute("DISCARD PLANS")  # no plan cached by the superuser's earlier calls
        conn.execute("SET LOCAL ROLE service_role")
        first = hd.snapshot(conn, client, organization, engagement_score=80, progress_score=80,
                            satisfaction_score=80, churn_risk_score=20)
        second = hd.snapshot(conn, client, organization, engagement_score=40, progress_score=40,
                             satisfaction_score=40, churn_risk_score=60)
        conn.execute("RESET ROLE")
    assert (first["overall_health_score"], first["health_status"]) == (D("80.00"), "excellent")
    assert (second["overall_health_score"], second["health_status"]) == (D("40.00"), "at_risk")
    assert current(conn, client) == [second["id"]]


def test_concurrent_snapshots_of_one_client(applied_db: str) -> None:
    """Two transactions insert a snapshot for the same client: the second waits, then wins."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization = hd.org(setup)
        client = hd.client(setup, organization)
    with psycopg.connect(applied_db) as first, psycopg.connect(applied_db) as second:
        hd.snapshot(first, client, organization, calculated_at=T0)
        pid = second.info.backend_pid
        with ThreadPoolExecutor(1) as pool:
            later = pool.submit(hd.snapshot, second, client, organization, calculated_at=T0 + timedelta(hours=1))
            with psycopg.connect(applied_db, autocommit=True) as watcher:
                for _ in range(200):
                    waiting = watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                                              (pid,)).fetchone()
                    if waiting == ("Lock",):
                        break
                    time.sleep(0.02)
                assert waiting == ("Lock",)
            first.commit()
            row = later.result(timeout=30)
        second.commit()
    with psycopg.connect(applied_db, autocommit=True) as check:
        assert current(check, client) == [row["id"]]
