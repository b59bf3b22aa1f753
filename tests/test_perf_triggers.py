"""Issue 12, the cheaper write path of customer_health (docs/performance.md): the immutability
trigger fires only for an UPDATE of an immutable column (the marker move never evaluates it), the
score trigger inlines the score functions, the refresh job moves the marker set-based, and the
bench's trigger overhead is measured against the same table without its triggers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import psycopg
import pytest

from healthschema.workload import measure, seed
from tests import health_data as hd
from tests.integrity_helpers import org_with_client

conn = hd.shared_connection()
MAY_CHANGE = {"is_current", "organization_id", "updated_at"}


def test_the_immutability_trigger_covers_every_other_column(conn: hd.Conn) -> None:
    """UPDATE OF lists every column but the three a written snapshot may change: a column added to
    the table without being added to the trigger's list fails here (the old to_jsonb form fired on
    every UPDATE, including each marker move)."""
    columns = {r[0] for r in conn.execute(
        "SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = 'public.customer_health'::regclass"
        " AND attnum > 0 AND NOT attisdropped").fetchall()}
    row = conn.execute(
        "SELECT array(SELECT a.attname::text FROM pg_catalog.pg_attribute AS a"
        "              WHERE a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr))"
        "  FROM pg_catalog.pg_trigger AS t"
        " WHERE t.tgrelid = 'public.customer_health'::regclass AND t.tgname = 'customer_health_immutable'").fetchone()
    assert row is not None
    assert set(row[0]) == columns - MAY_CHANGE


def test_naming_a_column_without_changing_it_is_allowed_changing_it_is_not(conn: hd.Conn) -> None:
    organization, client = org_with_client(conn)
    row = hd.snapshot(conn, client, organization, engagement_score=70)
    conn.execute("UPDATE public.customer_health SET engagement_score = engagement_score, features_used ="
                 " features_used, updated_at = now() WHERE id = %s", (row["id"],))
    conn.execute("UPDATE public.customer_health SET is_current = false WHERE id = %s", (row["id"],))
    for column, value in (("health_status", "excellent"), ("created_at", datetime(2020, 1, 1, tzinfo=UTC)),
                          ("billing_status", "suspended"), ("factors_considered", '{"a": 1}')):
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="immutable"), conn.transaction():
            conn.execute(f"UPDATE public.customer_health SET {column} = %s WHERE id = %s", (value, row["id"]))


def test_the_inlined_score_equals_the_score_functions(conn: hd.Conn) -> None:
    """The trigger's inlined formula and health_overall_score/health_status_for come from one
    macro; with changed weights and thresholds (and NULL satisfaction) they still agree."""
    conn.execute("UPDATE public.health_score_config SET weight_engagement = 0.1, weight_progress = 0.3,"
                 " weight_satisfaction = 0.4, weight_churn_risk = 0.2, threshold_good = 55")  # rolled back
    organization, client = org_with_client(conn)
    statuses = set()
    for i, (satisfaction, engagement) in enumerate(((None, 61.25), (0, 61.25), (37.5, 90), (100, 100))):
        row = hd.snapshot(conn, client, organization, engagement_score=engagement, progress_score=12,
                          satisfaction_score=satisfaction, churn_risk_score=33,
                          calculated_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=i))
        expected = conn.execute(
            "SELECT o, healthschema_private.health_status_for(o) FROM (SELECT"
            " healthschema_private.health_overall_score(%s::numeric, 12, %s::numeric, 33) AS o) AS x",
            (engagement, satisfaction)).fetchone()
        assert expected is not None
        assert (row["overall_health_score"], row["health_status"]) == (Decimal(expected[0]), expected[1])
        statuses.add(row["health_status"])
    assert len(statuses) > 1


def test_refresh_keeps_a_future_dated_current_snapshot(conn: hd.Conn) -> None:
    """The refresh unmarks current snapshots set-based only where its new one is newer: a current
    snapshot dated after now() stays current and the refresh's row is stored as history."""
    organization, client = org_with_client(conn)
    future = hd.snapshot(conn, client, organization, calculated_at=datetime.now(UTC) + timedelta(days=1))
    other = hd.client(conn, organization)
    past = hd.snapshot(conn, other, organization, calculated_at=datetime.now(UTC) - timedelta(days=1))
    conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,))
    current = dict(conn.execute("SELECT client_id, id FROM public.customer_health"
                                " WHERE organization_id = %s AND is_current", (organization,)).fetchall())
    assert current[client] == future["id"]
    assert current[other] != past["id"]
    rows = conn.execute("SELECT count(*) FROM public.customer_health WHERE client_id = %s", (client,)).fetchone()
    assert rows == (2,)


def test_trigger_overhead_measures_the_same_table_and_leaves_it_as_it_was(applied_db: str) -> None:
    seed.seed(applied_db, 500, app="public", private="healthschema_private")
    with psycopg.connect(applied_db, autocommit=True) as conn:
        _overhead_leaves_the_table_as_it_was(conn, applied_db)


def _overhead_leaves_the_table_as_it_was(conn: hd.Conn, applied_db: str) -> None:
    before = conn.execute("SELECT count(*), count(*) FILTER (WHERE is_current) FROM public.customer_health").fetchone()
    result = measure.trigger_overhead(applied_db, 25, app="public", private="healthschema_private")
    assert result.rows == 25 and result.with_triggers_s > 0 and result.without_triggers_s > 0
    # Every inserted snapshot replaces its client's current one: one extra row version each.
    assert result.extra_row_versions_per_snapshot == 1.0
    after = conn.execute("SELECT count(*), count(*) FILTER (WHERE is_current) FROM public.customer_health").fetchone()
    assert after == before
    disabled = conn.execute("SELECT count(*) FROM pg_catalog.pg_trigger"
                            " WHERE tgrelid = 'public.customer_health'::regclass AND tgenabled = 'D'").fetchone()
    assert disabled == (0,)


def test_the_refresh_reads_the_activity_source_once(conn: hd.Conn) -> None:
    """The refresh aggregated activity_logs twice (once per client, once per client and action for
    features_used); now one read, counted per client and action, then per client."""
    row = conn.execute("SELECT prosrc FROM pg_proc WHERE oid ="
                       " 'healthschema_private.refresh_customer_health(uuid)'::regprocedure").fetchone()
    assert row is not None
    assert str(row[0]).count("public.activity_logs") == 1


def test_the_single_activity_read_counts_as_before(conn: hd.Conn) -> None:
    """Logins and other actions inside and outside the 30 days: the per-action counts give the
    same logins, totals, last times and features_used as the two separate aggregations did."""
    organization, client = org_with_client(conn)
    now = conn.execute("SELECT now()").fetchone()
    assert now is not None
    for action, days in (("login", 40), ("login", 3), ("form", 10), ("form", 12), ("form", 50),
                         ("timeline", 5), ("guest_list", 45)):
        conn.execute("INSERT INTO public.activity_logs (organization_id, client_id, action, created_at)"
                     " VALUES (%s, %s, %s, now() - %s * interval '1 day')", (organization, client, action, days))
    quiet = hd.client(conn, organization)  # logins only, none in the last 30 days
    conn.execute("INSERT INTO public.activity_logs (organization_id, client_id, action, created_at)"
                 " VALUES (%s, %s, 'login', now() - interval '60 days')", (organization, quiet))
    conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,))
    rows = {r[0]: r[1:] for r in conn.execute(
        "SELECT client_id, total_logins, features_used, last_login_at = now() - interval '3 days',"
        " (factors_considered->>'logins_30d')::int, (factors_considered->>'other_actions_30d')::int,"
        " (factors_considered->>'last_activity_at')::timestamptz = now() - interval '3 days'"
        " FROM public.customer_health WHERE organization_id = %s AND is_current", (organization,)).fetchall()}
    assert rows[client] == (2, {"form": 2, "timeline": 1}, True, 1, 3, True)
    assert rows[quiet][:2] == (1, {})
    assert rows[quiet][3:5] == (0, 0)
