"""Issue 10 items 7-9: prerequisites consistent under every isolation level, dangling and
cross-client links, dependents maintained; SLA edges; no hidden casts."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from tests import health_data as hd
from tests.integrity_helpers import org_with_client

conn = hd.shared_connection()
LEVELS = ["READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE"]
RETRYABLE_OR_REJECTED = {"23514", "23503", "40001", "40P01"}


def _prereqs(conn: hd.Conn, milestone: Any) -> list[Any]:
    row = conn.execute("SELECT prerequisite_milestone_ids FROM public.success_milestones WHERE id = %s",
                       (milestone,)).fetchone()
    assert row is not None
    return list(row[0])


def _wait_until_blocked(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(250):
            row = watcher.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
            if row == ("Lock",):
                return
            time.sleep(0.02)
    raise AssertionError("the second transaction never waited for a lock")


def _race(url: str, level: str, first_sql: str, first_args: tuple[Any, ...], second_sql: str,
          second_args: tuple[Any, ...]) -> str | None:
    """Run first (left open), then second (which must wait), commit first; second's SQLSTATE or None."""
    with psycopg.connect(url) as first, psycopg.connect(url) as second:
        for c in (first, second):
            c.execute(f"SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {level}")
            c.commit()
        second.execute("SELECT 1")  # REPEATABLE READ / SERIALIZABLE: the snapshot predates first's commit
        first.execute(first_sql, first_args)

        def run_second() -> str | None:
            try:
                second.execute(second_sql, second_args)
                second.commit()
                return None
            except psycopg.Error as exc:
                second.rollback()
                return exc.sqlstate

        with ThreadPoolExecutor(1) as pool:
            outcome = pool.submit(run_second)
            _wait_until_blocked(url, second.info.backend_pid)
            first.commit()
            return outcome.result(timeout=30)


@pytest.mark.parametrize("level", LEVELS)
def test_concurrent_edits_cannot_close_a_cycle(applied_db: str, level: str) -> None:
    """On main two concurrent REPEATABLE READ edits X→[Y] and Y→[X] both committed."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization, client = org_with_client(setup)
        x, y = (hd.milestone(setup, client, organization)["id"] for _ in range(2))
    update = "UPDATE public.success_milestones SET prerequisite_milestone_ids = %s WHERE id = %s"
    state = _race(applied_db, level, update, ([y], x), update, ([x], y))
    assert state in RETRYABLE_OR_REJECTED
    with psycopg.connect(applied_db, autocommit=True) as check:
        assert (_prereqs(check, x), _prereqs(check, y)) == ([y], [])


@pytest.mark.parametrize("level", LEVELS)
def test_concurrent_edits_cannot_close_a_longer_cycle(applied_db: str, level: str) -> None:
    """Existing Y→Z and W→X; concurrently X→[Y] and Z→[W] touch no common row, yet close a cycle."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization, client = org_with_client(setup)
        x, z = (hd.milestone(setup, client, organization)["id"] for _ in range(2))
        y = hd.milestone(setup, client, organization, prerequisite_milestone_ids=[z])["id"]
        w = hd.milestone(setup, client, organization, prerequisite_milestone_ids=[x])["id"]
    update = "UPDATE public.success_milestones SET prerequisite_milestone_ids = %s WHERE id = %s"
    state = _race(applied_db, level, update, ([y], x), update, ([w], z))
    assert state in RETRYABLE_OR_REJECTED
    with psycopg.connect(applied_db, autocommit=True) as check:
        assert (_prereqs(check, x), _prereqs(check, z)) == ([y], [])


@pytest.mark.parametrize("level", LEVELS)
def test_a_prerequisite_deleted_meanwhile_leaves_no_dangling_id(applied_db: str, level: str) -> None:
    """On main a prerequisite deleted while a dependent was inserted left a dangling id, which then
    let the dependent start."""
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization, client = org_with_client(setup)
        y = hd.milestone(setup, client, organization)["id"]
    insert = ("INSERT INTO public.success_milestones (client_id, organization_id, milestone_type,"
              " milestone_category, milestone_name, prerequisite_milestone_ids) VALUES (%s, %s, 'custom',"
              " 'planning', 'dependent', %s)")
    state = _race(applied_db, level, "DELETE FROM public.success_milestones WHERE id = %s", (y,),
                  insert, (client, organization, [y]))
    assert state in {"23503", "40001"}
    with psycopg.connect(applied_db, autocommit=True) as check:
        dangling = check.execute("SELECT count(*) FROM public.success_milestones"
                                 " WHERE %s = ANY(prerequisite_milestone_ids)", (y,)).fetchone()
        assert dangling == (0,)


def test_a_missing_prerequisite_blocks_starting(conn: hd.Conn) -> None:
    organization, client = org_with_client(conn)
    y = hd.milestone(conn, client, organization)["id"]
    x = hd.milestone(conn, client, organization, prerequisite_milestone_ids=[y])["id"]
    conn.execute("ALTER TABLE public.success_milestones DISABLE TRIGGER success_milestones_forget_deleted")
    conn.execute("DELETE FROM public.success_milestones WHERE id = %s", (y,))
    conn.execute("ALTER TABLE public.success_milestones ENABLE TRIGGER success_milestones_forget_deleted")
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match="does not exist"), conn.transaction():
        hd.update(conn, "success_milestones", x, {"status": "in_progress"})


def test_a_prerequisite_cannot_move_to_another_client(conn: hd.Conn) -> None:
    """On main moving a prerequisite to another client left a cross-client link."""
    organization, client = org_with_client(conn)
    other = hd.client(conn, organization)
    y = hd.milestone(conn, client, organization)["id"]
    hd.milestone(conn, client, organization, prerequisite_milestone_ids=[y])
    with pytest.raises(psycopg.errors.CheckViolation, match="depend on it"), conn.transaction():
        hd.update(conn, "success_milestones", y, {"client_id": other})


def test_a_started_milestone_cannot_gain_an_incomplete_prerequisite(conn: hd.Conn) -> None:
    organization, client = org_with_client(conn)
    y = hd.milestone(conn, client, organization)["id"]
    x = hd.milestone(conn, client, organization, status="in_progress")["id"]
    with pytest.raises(psycopg.errors.CheckViolation, match="cannot become in_progress"), conn.transaction():
        hd.update(conn, "success_milestones", x, {"prerequisite_milestone_ids": [y]})
    hd.update(conn, "success_milestones", y, {"status": "completed"})
    assert hd.update(conn, "success_milestones", x, {"prerequisite_milestone_ids": [y]})["status"] == "in_progress"


def test_skipping_does_not_start(conn: hd.Conn) -> None:
    organization, client = org_with_client(conn)
    row = hd.milestone(conn, client, organization)
    assert hd.update(conn, "success_milestones", row["id"], {"status": "skipped"})["started_at"] is None


def _dependents(conn: hd.Conn, milestone: Any) -> list[Any]:
    row = conn.execute("SELECT dependent_milestone_ids FROM public.success_milestones WHERE id = %s",
                       (milestone,)).fetchone()
    assert row is not None
    return sorted(row[0])


def test_dependent_milestone_ids_are_maintained(conn: hd.Conn) -> None:
    """On main dependent_milestone_ids was never written."""
    organization, client = org_with_client(conn)
    y, z = (hd.milestone(conn, client, organization)["id"] for _ in range(2))
    x = hd.milestone(conn, client, organization, prerequisite_milestone_ids=[y, z])["id"]
    assert _dependents(conn, y) == [x] and _dependents(conn, z) == [x] and _dependents(conn, x) == []
    hd.update(conn, "success_milestones", x, {"prerequisite_milestone_ids": [z]})
    assert _dependents(conn, y) == [] and _dependents(conn, z) == [x]
    v = hd.milestone(conn, client, organization, prerequisite_milestone_ids=[z])["id"]
    assert _dependents(conn, z) == sorted([x, v])
    conn.execute("DELETE FROM public.success_milestones WHERE id = %s", (x,))
    assert _dependents(conn, z) == [v]
    conn.execute("DELETE FROM public.success_milestones WHERE id = %s", (z,))
    assert _prereqs(conn, v) == []


def test_template_backfill_links_dependents(conn: hd.Conn) -> None:
    _, client = org_with_client(conn)
    conn.execute("SELECT healthschema_private.instantiate_milestone_templates()")
    rows = hd.fetch(conn, """SELECT t.template_key, m.dependent_milestone_ids AS deps FROM public.success_milestones m
                              JOIN public.milestone_templates t ON t.id = m.template_id WHERE m.client_id = %s""",
                    (client,))
    counts = {r["template_key"]: len(r["deps"]) for r in rows}
    assert counts["onboarding"] == 2 and counts["first_form"] == 2 and counts["final_details"] == 0


# SLA edges -------------------------------------------------------------------------------------------
def test_supplied_targets_survive_a_priority_change(conn: hd.Conn) -> None:
    """On main supplied 1h/8h targets were replaced by the new priority's defaults."""
    organization, client = org_with_client(conn)
    row = hd.interaction(conn, client, organization, priority="medium",
                         sla_target_response_hours=1, sla_target_resolution_hours=8)
    row = hd.update(conn, "support_interactions", row["id"], {"priority": "high"})
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (1, 8)
    default = hd.interaction(conn, client, organization, priority="medium")
    default = hd.update(conn, "support_interactions", default["id"], {"priority": "high"})
    assert (default["sla_target_response_hours"], default["sla_target_resolution_hours"]) == (4, 48)


def test_a_priority_without_targets_is_refused(conn: hd.Conn) -> None:
    """On main such an interaction got NULL targets and could never breach."""
    organization, client = org_with_client(conn)
    conn.execute("DELETE FROM public.sla_targets WHERE priority = 'low'")
    with pytest.raises(psycopg.errors.NotNullViolation, match="no SLA target for priority low"), conn.transaction():
        hd.interaction(conn, client, organization, priority="low")
    row = hd.interaction(conn, client, organization, priority="low", sla_target_response_hours=5,
                         sla_target_resolution_hours=50)
    assert row["sla_response_due_at"] is not None


def test_resolution_without_a_first_response_counts_as_the_response(conn: hd.Conn) -> None:
    """On main it counted as a breach for 90 days even when resolved in time."""
    organization, client = org_with_client(conn)
    now = datetime.now(UTC)
    in_time = hd.interaction(conn, client, organization, priority="critical", created_at=now - timedelta(hours=1),
                             status="resolved")
    late = hd.interaction(conn, client, organization, priority="critical", created_at=now - timedelta(hours=5),
                          status="resolved")
    assert (in_time["sla_response_met"], late["sla_response_met"]) == (True, False)
    conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (organization,))
    factors = hd.fetch(conn, "SELECT factors_considered FROM public.customer_health WHERE client_id = %s",
                       (client,))[0]["factors_considered"]
    assert factors["sla_breaches_90d"] == 1


def test_no_hidden_casts_in_the_prerequisite_and_lifecycle_functions(conn: hd.Conn) -> None:
    """plpgsql_check reported varchar→text casts (check_startable's text parameters for varchar
    columns, and the lifecycle's text variable for OLD.status): the signatures now use varchar."""
    args = conn.execute("SELECT pg_get_function_identity_arguments("
                        "'healthschema_private.success_milestone_check_startable'::regproc)").fetchone()
    assert args == ("p_id uuid, p_name character varying, p_status character varying, p_prerequisites uuid[]",)
    body = conn.execute("SELECT prosrc FROM pg_proc WHERE oid = 'healthschema_private.success_milestone_lifecycle'"
                        "::regproc").fetchone()
    assert body is not None and "was_status varchar" in body[0] and "was_status text" not in body[0]
    assert uuid.UUID(int=0)
