"""Issue 10 items 1-2: a health snapshot is written once and never changes; the current marker is
serialised per client, not globally (SPEC §2.4, §6 "≤ 1 extra row version per snapshot")."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import psycopg
import pytest

from tests import health_data as hd
from tests.integrity_helpers import org_with_client

conn = hd.shared_connection()
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_moving_the_marker_never_rescores_an_old_snapshot(conn: hd.Conn) -> None:
    """The reproduction: a 55.00 at_risk snapshot stays 55.00 at_risk after the weights change and a
    newer snapshot arrives (on main it became 30.00 critical)."""
    organization, client = org_with_client(conn)
    old = hd.snapshot(conn, client, organization, engagement_score=55, progress_score=55,
                      satisfaction_score=55, churn_risk_score=45, calculated_at=T0)
    assert (old["overall_health_score"], old["health_status"]) == (Decimal("55.00"), "at_risk")
    conn.execute("UPDATE public.health_score_config SET weight_engagement = 0, weight_progress = 0,"
                 " weight_satisfaction = 0.2, weight_churn_risk = 0.8")
    hd.snapshot(conn, client, organization, calculated_at=T0 + timedelta(hours=1))
    again = hd.fetch(conn, "SELECT * FROM public.customer_health WHERE id = %s", (old["id"],))[0]
    assert (again["overall_health_score"], again["health_status"], again["is_current"]) == \
        (Decimal("55.00"), "at_risk", False)
    assert {k: v for k, v in again.items() if k not in ("is_current", "updated_at")} == \
        {k: v for k, v in old.items() if k not in ("is_current", "updated_at")}


@pytest.mark.parametrize(("column", "value"), [
    ("engagement_score", 10), ("overall_health_score", 99), ("health_status", "excellent"),
    ("calculated_at", T0), ("client_id", None), ("features_used", '{"x": 1}'),
])
def test_a_written_snapshot_cannot_be_changed(conn: hd.Conn, column: str, value: Any) -> None:
    organization, client = org_with_client(conn)
    row = hd.snapshot(conn, client, organization, engagement_score=70)
    if column == "client_id":
        value = hd.client(conn, organization)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="immutable"), conn.transaction():
        conn.execute(f"UPDATE public.customer_health SET {column} = %s WHERE id = %s", (value, row["id"]))


def _versions(conn: hd.Conn) -> tuple[int, int]:
    row = conn.execute("SELECT pg_stat_get_xact_tuples_inserted('public.customer_health'::regclass),"
                       " pg_stat_get_xact_tuples_updated('public.customer_health'::regclass)").fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def test_each_snapshot_is_written_once(conn: hd.Conn) -> None:
    """First snapshot: 1 row version. Each later one: its own row plus the previous current row's
    flip — 1 extra row version (main wrote 2: the new row marked current again, and the old one)."""
    organization, client = org_with_client(conn)
    start = _versions(conn)
    hd.snapshot(conn, client, organization, calculated_at=T0)
    first = _versions(conn)
    assert (first[0] - start[0], first[1] - start[1]) == (1, 0)
    hd.snapshot(conn, client, organization, calculated_at=T0 + timedelta(hours=1))
    second = _versions(conn)
    assert (second[0] - first[0], second[1] - first[1]) == (1, 1)
    # A whole refresh: one new row per client and one flip per client that had a current snapshot.
    other = hd.client(conn, organization)
    before = _versions(conn)
    conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,))
    after = _versions(conn)
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)
    assert other


def test_marker_serialisation_is_per_client(applied_db: str) -> None:
    """An open org-A transaction holding a client's marker does not block an org-B insert (on
    main one global advisory lock made the org-B insert time out)."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        org_a, client_a = org_with_client(setup)
        org_b, client_b = org_with_client(setup)
        hd.snapshot(setup, client_a, org_a, calculated_at=T0)
        hd.snapshot(setup, client_b, org_b, calculated_at=T0)
    with psycopg.connect(applied_db) as first, psycopg.connect(applied_db) as second:
        hd.snapshot(first, client_a, org_a, calculated_at=T0 + timedelta(hours=1))
        first.execute("SELECT healthschema_private.refresh_customer_health(%s)", (org_a,))
        second.execute("SET lock_timeout = '2s'")
        row = hd.snapshot(second, client_b, org_b, calculated_at=T0 + timedelta(hours=1))
        second.commit()
        # ... while the same client still waits for the open transaction.
        with pytest.raises(psycopg.errors.LockNotAvailable):
            second.execute("SET lock_timeout = '300ms'")
            hd.snapshot(second, client_a, org_a, calculated_at=T0 + timedelta(hours=2))
        second.rollback()
        first.rollback()
    with psycopg.connect(applied_db, autocommit=True) as check:
        current = check.execute("SELECT id FROM public.customer_health WHERE client_id = %s AND is_current",
                                (client_b,)).fetchall()
        assert current == [(row["id"],)]


def test_concurrent_first_snapshots_of_one_client(applied_db: str) -> None:
    """Two transactions write a client's very first snapshot: the second waits, then wins (READ
    COMMITTED), never a unique violation."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization, client = org_with_client(setup)
    with psycopg.connect(applied_db) as first, psycopg.connect(applied_db) as second:
        hd.snapshot(first, client, organization, calculated_at=T0)
        second.execute("SET lock_timeout = '300ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            hd.snapshot(second, client, organization, calculated_at=T0 + timedelta(hours=1))
        second.rollback()
        first.commit()
        later = hd.snapshot(second, client, organization, calculated_at=T0 + timedelta(hours=1))
        second.commit()
    with psycopg.connect(applied_db, autocommit=True) as check:
        rows = check.execute("SELECT id FROM public.customer_health WHERE client_id = %s AND is_current",
                             (client,)).fetchall()
        assert rows == [(later["id"],)]
    assert uuid.UUID(str(later["id"]))
