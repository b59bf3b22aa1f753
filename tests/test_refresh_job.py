"""The health refresh job (SPEC §2.4) on a small known data set, scores computed by hand.

Formulas (docs/formulas.md): days_inactive = whole days since the last activity (or creation);
engagement = 0.7 * min(100, 10*logins_30d + 2*other_actions_30d) + 0.3 * max(0, 100 - 10*days_inactive);
progress = 50 without milestones, else max(0, 50*completed/counted + 0.5*avg_progress - 10*overdue);
satisfaction = (avg rating of the last 90 days - 1) * 25; churn = min(40, days_inactive)
+ min(20, 5*overdue) + min(15, 5*open) + min(15, 5*breaches) + (10 if satisfaction < 50).
Overall (trigger): 0.35 E + 0.25 P + 0.20 S + 0.20 (100 - churn); without S: / 0.80.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from tests import health_data as hd

conn = hd.shared_connection()

D = Decimal


def log(conn: hd.Conn, client: uuid.UUID, organization: uuid.UUID, action: str, ago: str) -> None:
    conn.execute(
        "INSERT INTO public.activity_logs (organization_id, client_id, action, created_at)"
        " VALUES (%s, %s, %s, now() - %s::interval)", (organization, client, action, ago))


def interaction(conn: hd.Conn, client: uuid.UUID, organization: uuid.UUID, ago: str, **values: Any) -> None:
    created = conn.execute("SELECT now() - %s::interval", (ago,)).fetchone()[0]  # type: ignore[index]
    for key in ("first_response_at", "resolved_at"):
        if key in values:
            values[key] = created + values[key]
    hd.interaction(conn, client, organization, created_at=created, **values)


def build_client_a(conn: hd.Conn, organization: uuid.UUID) -> uuid.UUID:
    """Active client: logins, milestones (one overdue), tickets (two SLA breaches)."""
    from datetime import timedelta as td

    created = conn.execute("SELECT now() - interval '60 days'").fetchone()[0]  # type: ignore[index]
    a = hd.client(conn, organization, created_at=created)
    for ago in ("2 days 1 hour", "5 days", "10 days", "40 days"):
        log(conn, a, organization, "login", ago)
    for action, ago in (("form_submit", "3 days"), ("form_submit", "4 days"), ("form_submit", "6 days"),
                        ("timeline_view", "7 days"), ("form_submit", "45 days")):
        log(conn, a, organization, action, ago)
    hd.milestone(conn, a, organization, status="completed")
    hd.milestone(conn, a, organization, status="in_progress", progress_percentage=50,
                 target_completion_date=conn.execute("SELECT current_date - 1").fetchone()[0])  # type: ignore[index]
    hd.milestone(conn, a, organization, target_completion_date=conn.execute(
        "SELECT current_date + 10").fetchone()[0])  # type: ignore[index]
    hd.milestone(conn, a, organization, status="skipped", progress_percentage=10)
    # s1: open critical, no response after a day: breach (response due after 2 h).
    interaction(conn, a, organization, "1 day", priority="critical")
    # s2: low, resolved after 130 h (> 120 h): breach; rating 2; 4 sent, 2 received.
    interaction(conn, a, organization, "10 days", priority="low", status="resolved",
                first_response_at=td(hours=1), resolved_at=td(hours=130),
                customer_satisfaction_rating=2, messages_sent=4, messages_received=2)
    # s3: medium, closed in time; rating 4; 2 sent, 2 received.
    interaction(conn, a, organization, "20 days", priority="medium", status="closed",
                first_response_at=td(hours=1), resolved_at=td(hours=10),
                customer_satisfaction_rating=4, messages_sent=2, messages_received=2)
    # s4: 100 days old (outside the 90-day window): its breach, rating and messages do not count.
    interaction(conn, a, organization, "100 days", priority="critical", status="resolved",
                resolved_at=td(days=5), customer_satisfaction_rating=1, messages_sent=9)
    return a


@pytest.fixture
def data(conn: hd.Conn) -> dict[str, uuid.UUID]:
    x, y = hd.org(conn), hd.org(conn)
    a = build_client_a(conn, x)
    b = hd.client(conn, x, created_at=conn.execute("SELECT now() - interval '3 days 1 hour'").fetchone()[0])  # type: ignore[index]
    c = hd.client(conn, y, created_at=conn.execute("SELECT now() - interval '100 days'").fetchone()[0])  # type: ignore[index]
    orphan = hd.client(conn, None)
    log(conn, orphan, x, "login", "1 day")
    return {"x": x, "y": y, "a": a, "b": b, "c": c, "orphan": orphan}


def refresh(conn: hd.Conn, organization: uuid.UUID | None = None) -> int:
    row = conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,)).fetchone()
    assert row is not None
    return int(row[0])


def current(conn: hd.Conn, client: uuid.UUID) -> hd.Row:
    rows = hd.fetch(conn, "SELECT * FROM public.customer_health WHERE client_id = %s AND is_current", (client,))
    assert len(rows) == 1
    return rows[0]


def test_active_client_scores(conn: hd.Conn, data: dict[str, uuid.UUID]) -> None:
    assert refresh(conn) == 3  # a, b, c; the client without an organization is skipped
    row = current(conn, data["a"])
    # engagement: frequency min(100, 30 + 8) = 38, recency 100 - 20 = 80 -> 26.6 + 24 = 50.60
    # progress: 50 * 1/3 + 0.5 * 50 - 10 * 1 = 31.666... -> 31.67
    # satisfaction: (3 - 1) * 25 = 50; churn: 2 + 5 + 5 + 10 + 0 = 22
    # overall: 0.35*50.60 + 0.25*31.67 + 0.2*50 + 0.2*78 = 17.71 + 7.9175 + 10 + 15.6 = 51.2275 -> 51.23
    expected = {
        "engagement_score": D("50.60"), "progress_score": D("31.67"), "satisfaction_score": D("50.00"),
        "churn_risk_score": D("22.00"), "overall_health_score": D("51.23"), "health_status": "at_risk",
        "total_logins": 4, "days_since_last_activity": 2, "milestones_completed": 1, "overdue_tasks": 1,
        "task_completion_rate": D("33.33"), "wedding_progress_percentage": D("50.00"),
        "support_tickets_count": 1, "messages_sent": 6, "messages_received": 4, "response_rate": D("66.67"),
        "features_used": {"form_submit": 3, "timeline_view": 1}, "score_calculation_version": "refresh-v1",
    }
    assert {k: row[k] for k in expected} == expected
    factors = row["factors_considered"]
    assert (factors["logins_30d"], factors["other_actions_30d"], factors["sla_breaches_90d"],
            factors["ratings_90d"], factors["milestones_counted"]) == (3, 4, 2, 2, 3)
    last_login = conn.execute("SELECT max(created_at) FROM public.activity_logs WHERE client_id = %s"
                              " AND action = 'login'", (data["a"],)).fetchone()[0]  # type: ignore[index]
    assert row["last_login_at"] == last_login


def test_quiet_clients_scores(conn: hd.Conn, data: dict[str, uuid.UUID]) -> None:
    refresh(conn)
    b = current(conn, data["b"])
    # no activity for 3 days: engagement 0.3 * 70 = 21; progress 50; no satisfaction; churn 3
    # overall (0.35*21 + 0.25*50 + 0.2*97) / 0.8 = 39.25 / 0.8 = 49.0625 -> 49.06
    assert (b["engagement_score"], b["progress_score"], b["satisfaction_score"], b["churn_risk_score"],
            b["overall_health_score"], b["health_status"]) == (D("21.00"), D("50.00"), None, D("3.00"),
                                                               D("49.06"), "at_risk")
    c = current(conn, data["c"])
    # 100 days inactive: engagement 0; churn capped at 40; overall (0 + 12.5 + 12) / 0.8 = 30.625 -> 30.63
    assert (c["engagement_score"], c["churn_risk_score"], c["overall_health_score"], c["health_status"],
            c["features_used"], c["response_rate"]) == (D("0.00"), D("40.00"), D("30.63"), "critical", {}, D("0.00"))


def test_one_organization_and_history(conn: hd.Conn, data: dict[str, uuid.UUID]) -> None:
    assert refresh(conn, data["y"]) == 1
    assert refresh(conn, data["x"]) == 2
    assert refresh(conn, uuid.uuid4()) == 0
    assert refresh(conn, data["x"]) == 2
    counts = dict(conn.execute(  # type: ignore[arg-type]
        "SELECT client_id, count(*) FROM public.customer_health GROUP BY client_id").fetchall())
    assert counts == {data["a"]: 2, data["b"]: 2, data["c"]: 1}
    assert conn.execute("SELECT count(*) FROM public.customer_health WHERE is_current").fetchone() == (3,)
    assert conn.execute("SELECT count(*) FROM public.customer_health WHERE client_id = %s",
                        (data["orphan"],)).fetchone() == (0,)


def test_only_service_role_may_run_it(conn: hd.Conn, data: dict[str, uuid.UUID]) -> None:
    with conn.transaction():
        conn.execute("SET LOCAL ROLE service_role")
        assert refresh(conn, data["y"]) == 1
        conn.execute("RESET ROLE")
    for role in ("authenticated", "anon"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute(f"SET LOCAL ROLE {role}")
            refresh(conn)
    assert conn.execute("SELECT current_user = session_user").fetchone() == (True,)


def test_function_settings(conn: hd.Conn) -> None:
    row = conn.execute(
        "SELECT prosecdef, proconfig, has_function_privilege('public', p.oid, 'EXECUTE')"
        " FROM pg_proc p WHERE p.oid = 'healthschema_private.refresh_customer_health(uuid)'::regprocedure"
    ).fetchone()
    assert row == (True, ['search_path=""'], False)
