"""Milestone lifecycle trigger (SPEC §2.4): start, complete, reopen, prerequisites, cycles, countdown."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import psycopg
import pytest

from tests import health_data as hd

conn = hd.shared_connection()


@pytest.fixture
def owner(conn: hd.Conn) -> tuple[hd.Conn, uuid.UUID, uuid.UUID]:
    organization = hd.org(conn)
    return conn, hd.client(conn, organization), organization


def today(conn: hd.Conn) -> date:
    return conn.execute("SELECT current_date").fetchone()[0]  # type: ignore[index, no-any-return]


def set_status(conn: hd.Conn, row_id: uuid.UUID, status: str, **values: object) -> hd.Row:
    return hd.update(conn, "success_milestones", row_id, {"status": status, **values})


def test_start_sets_started_at(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization)
    assert (row["status"], row["started_at"], row["completed_at"]) == ("pending", None, None)
    row = set_status(conn, row["id"], "in_progress", progress_percentage=40)
    assert row["started_at"] is not None and row["completed_at"] is None
    assert row["progress_percentage"] == 40


def test_complete_sets_completion_fields(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, progress_percentage=30)
    row = set_status(conn, row["id"], "completed")
    assert row["progress_percentage"] == 100
    assert row["completed_at"] is not None and row["started_at"] is not None
    assert row["actual_completion_date"] == today(conn)


def test_complete_keeps_a_supplied_actual_date(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization)
    row = set_status(conn, row["id"], "completed", actual_completion_date=date(2026, 1, 2))
    assert row["actual_completion_date"] == date(2026, 1, 2)


def test_insert_as_completed(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, status="completed")
    assert (row["progress_percentage"], row["actual_completion_date"]) == (100, today(conn))
    assert row["completed_at"] is not None and row["started_at"] is not None


def test_reopen_to_in_progress_resets_completion(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, status="completed")
    started = row["started_at"]
    row = set_status(conn, row["id"], "in_progress")
    assert (row["completed_at"], row["actual_completion_date"], row["progress_percentage"]) == (None, None, 0)
    assert row["started_at"] == started


def test_reopen_keeps_a_supplied_progress_below_100(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, status="completed")
    row = set_status(conn, row["id"], "in_progress", progress_percentage=75)
    assert row["progress_percentage"] == 75


def test_reopen_to_pending_clears_start(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, status="completed")
    row = set_status(conn, row["id"], "pending")
    assert (row["started_at"], row["completed_at"], row["progress_percentage"]) == (None, None, 0)
    # ... and it can be completed again.
    row = set_status(conn, row["id"], "completed")
    assert row["progress_percentage"] == 100 and row["completed_at"] is not None


def test_prerequisite_blocks_start_and_names_it(owner) -> None:
    conn, client, organization = owner
    first = hd.milestone(conn, client, organization, milestone_name="Book the venue")
    second = hd.milestone(conn, client, organization, milestone_name="Send invitations",
                          prerequisite_milestone_ids=[first["id"]])
    for status in ("in_progress", "completed"):
        with pytest.raises(psycopg.errors.CheckViolation) as caught, conn.transaction():
            set_status(conn, second["id"], status)
        message = str(caught.value)
        assert '"Book the venue"' in message and str(first["id"]) in message and "is pending" in message
    # Completing (or skipping) the prerequisite unblocks it.
    set_status(conn, first["id"], "skipped")
    assert set_status(conn, second["id"], "completed")["status"] == "completed"


def test_prerequisite_blocks_insert_as_started(owner) -> None:
    conn, client, organization = owner
    first = hd.milestone(conn, client, organization, milestone_name="Guest list")
    with pytest.raises(psycopg.errors.CheckViolation, match="Guest list"), conn.transaction():
        hd.milestone(conn, client, organization, status="in_progress", prerequisite_milestone_ids=[first["id"]])
    set_status(conn, first["id"], "completed")
    row = hd.milestone(conn, client, organization, status="in_progress", prerequisite_milestone_ids=[first["id"]])
    assert row["status"] == "in_progress"


def test_prerequisite_must_exist(owner) -> None:
    conn, client, organization = owner
    ghost = uuid.uuid4()
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match=str(ghost)), conn.transaction():
        hd.milestone(conn, client, organization, prerequisite_milestone_ids=[ghost])


def test_prerequisite_must_belong_to_the_same_client(owner) -> None:
    conn, client, organization = owner
    other = hd.milestone(conn, hd.client(conn, organization), organization, milestone_name="Elsewhere")
    with pytest.raises(psycopg.errors.CheckViolation, match="another client"), conn.transaction():
        hd.milestone(conn, client, organization, prerequisite_milestone_ids=[other["id"]])


def test_self_prerequisite_rejected(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization)
    with pytest.raises(psycopg.errors.CheckViolation, match="own prerequisite"), conn.transaction():
        hd.update(conn, "success_milestones", row["id"], {"prerequisite_milestone_ids": [row["id"]]})


def test_cycle_rejected(owner) -> None:
    conn, client, organization = owner
    a = hd.milestone(conn, client, organization, milestone_name="A")
    b = hd.milestone(conn, client, organization, milestone_name="B", prerequisite_milestone_ids=[a["id"]])
    c = hd.milestone(conn, client, organization, milestone_name="C", prerequisite_milestone_ids=[b["id"]])
    # A -> C would close A <- B <- C <- A.
    with pytest.raises(psycopg.errors.CheckViolation, match="cycle") as caught, conn.transaction():
        hd.update(conn, "success_milestones", a["id"], {"prerequisite_milestone_ids": [c["id"]]})
    assert '"C"' in str(caught.value)
    # A diamond is not a cycle: D depends on B and C, which both depend on A.
    d = hd.milestone(conn, client, organization, milestone_name="D", prerequisite_milestone_ids=[b["id"], c["id"]])
    assert d["prerequisite_milestone_ids"] == [b["id"], c["id"]]


def test_deleted_prerequisite_is_forgotten(owner) -> None:
    conn, client, organization = owner
    a = hd.milestone(conn, client, organization)
    b = hd.milestone(conn, client, organization)
    c = hd.milestone(conn, client, organization, prerequisite_milestone_ids=[a["id"], b["id"]])
    conn.execute("DELETE FROM public.success_milestones WHERE id = %s", (a["id"],))
    rows = hd.fetch(conn, "SELECT prerequisite_milestone_ids FROM public.success_milestones WHERE id = %s", (c["id"],))
    assert rows[0]["prerequisite_milestone_ids"] == [b["id"]]


def test_days_until_wedding_from_the_client(conn: hd.Conn) -> None:
    organization = hd.org(conn)
    day = today(conn)
    client = hd.client(conn, organization, wedding_date=day + timedelta(days=100))
    row = hd.milestone(conn, client, organization)
    assert (row["wedding_date"], row["days_until_wedding"]) == (day + timedelta(days=100), 100)
    # An explicit wedding date wins; changing it recomputes the countdown.
    row = hd.milestone(conn, client, organization, wedding_date=day - timedelta(days=3))
    assert row["days_until_wedding"] == -3
    row = hd.update(conn, "success_milestones", row["id"], {"wedding_date": day + timedelta(days=7)})
    assert row["days_until_wedding"] == 7
    row = hd.update(conn, "success_milestones", row["id"], {"wedding_date": None})
    assert row["days_until_wedding"] is None


def test_no_wedding_date_no_countdown(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization)
    assert (row["wedding_date"], row["days_until_wedding"]) == (None, None)


def test_updated_at_moves(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, updated_at=date(2026, 1, 1))
    row = hd.update(conn, "success_milestones", row["id"], {"notes": "x"})
    assert row["updated_at"].date() > date(2026, 1, 1)


def test_service_role_writes_go_through_the_trigger(owner) -> None:
    conn, client, organization = owner
    first = hd.milestone(conn, client, organization, milestone_name="First")
    with conn.transaction():
        conn.execute("DISCARD PLANS")
        conn.execute("SET LOCAL ROLE service_role")
        with pytest.raises(psycopg.errors.CheckViolation, match="First"), conn.transaction():
            hd.milestone(conn, client, organization, status="completed", prerequisite_milestone_ids=[first["id"]])
        row = hd.milestone(conn, client, organization, status="completed")
        conn.execute("RESET ROLE")
    assert row["progress_percentage"] == 100 and row["completed_at"] is not None


def test_deleting_the_client_cascades_through_prerequisites(owner) -> None:
    conn, client, organization = owner
    a = hd.milestone(conn, client, organization)
    b = hd.milestone(conn, client, organization, prerequisite_milestone_ids=[a["id"]])
    hd.milestone(conn, client, organization, prerequisite_milestone_ids=[a["id"], b["id"]])
    conn.execute("DELETE FROM public.clients WHERE id = %s", (client,))
    assert conn.execute("SELECT count(*) FROM public.success_milestones WHERE client_id = %s",
                        (client,)).fetchone() == (0,)


def test_concurrent_edits_cannot_close_a_cycle(applied_db: str) -> None:
    """T1 makes A depend on B; T2 concurrently makes B depend on A: T2 waits, then is rejected."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization = hd.org(setup)
        client = hd.client(setup, organization)
        a = hd.milestone(setup, client, organization, milestone_name="A")
        b = hd.milestone(setup, client, organization, milestone_name="B")
    with psycopg.connect(applied_db) as first, psycopg.connect(applied_db) as second:
        hd.update(first, "success_milestones", a["id"], {"prerequisite_milestone_ids": [b["id"]]})
        with ThreadPoolExecutor(1) as pool:
            closing = pool.submit(hd.update, second, "success_milestones", b["id"],
                                  {"prerequisite_milestone_ids": [a["id"]]})
            wait_for_lock(applied_db, second.info.backend_pid)
            first.commit()
            with pytest.raises(psycopg.errors.CheckViolation, match="cycle"):
                closing.result(timeout=30)
        second.rollback()


def wait_for_lock(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(200):
            row = watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
            if row == ("Lock",):
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} never waited for a lock")
