"""SLA trigger of support_interactions (SPEC §2.4): targets, due timestamps, met flags, resolution."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests import health_data as hd

conn = hd.shared_connection()

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

# Hand-written from SPEC §2.4 / healthschema.toml: (response hours, resolution hours).
EXPECTED_TARGETS = {"critical": (2, 24), "high": (4, 48), "medium": (12, 72), "low": (24, 120)}


@pytest.fixture
def owner(conn: hd.Conn) -> tuple[hd.Conn, object, object]:
    organization = hd.org(conn)
    return conn, hd.client(conn, organization), organization


@pytest.mark.parametrize("priority", sorted(EXPECTED_TARGETS))
def test_targets_and_due_timestamps_per_priority(owner, priority: str) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority=priority, created_at=T0)
    response, resolution = EXPECTED_TARGETS[priority]
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (response, resolution)
    assert row["sla_response_due_at"] == T0 + timedelta(hours=response)
    assert row["sla_resolution_due_at"] == T0 + timedelta(hours=resolution)
    assert row["sla_response_met"] is None and row["sla_resolution_met"] is None


def test_supplied_targets_are_kept(owner) -> None:
    conn, client, organization = owner
    both = hd.interaction(conn, client, organization, priority="low", created_at=T0,
                          sla_target_response_hours=1, sla_target_resolution_hours=5)
    assert (both["sla_target_response_hours"], both["sla_target_resolution_hours"]) == (1, 5)
    assert both["sla_response_due_at"] == T0 + timedelta(hours=1)
    assert both["sla_resolution_due_at"] == T0 + timedelta(hours=5)
    # Only one supplied: the other comes from the configuration (high: 48 h resolution).
    one = hd.interaction(conn, client, organization, priority="high", created_at=T0, sla_target_response_hours=3)
    assert (one["sla_target_response_hours"], one["sla_target_resolution_hours"]) == (3, 48)


def test_configuration_change_applies_to_new_interactions(owner) -> None:
    conn, client, organization = owner
    conn.execute("UPDATE public.sla_targets SET response_hours = 1, resolution_hours = 10 WHERE priority = 'medium'")
    row = hd.interaction(conn, client, organization, created_at=T0)
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (1, 10)
    assert row["sla_resolution_due_at"] == T0 + timedelta(hours=10)


@pytest.mark.parametrize(("after", "met"), [(timedelta(hours=2), True), (timedelta(hours=2, seconds=1), False)])
def test_response_met_and_missed_on_update(owner, after: timedelta, met: bool) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="critical", created_at=T0)
    row = hd.update(conn, "support_interactions", row["id"], {"first_response_at": T0 + after})
    assert row["sla_response_met"] is met
    assert row["sla_resolution_met"] is None


@pytest.mark.parametrize(("after", "met"), [(timedelta(hours=1), True), (timedelta(hours=3), False)])
def test_response_met_and_missed_at_insert(owner, after: timedelta, met: bool) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="critical", created_at=T0, first_response_at=T0 + after)
    assert row["sla_response_met"] is met


@pytest.mark.parametrize(("after", "met"), [(timedelta(hours=24), True), (timedelta(hours=25), False)])
def test_resolution_met_and_missed(owner, after: timedelta, met: bool) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="critical", created_at=T0)
    row = hd.update(conn, "support_interactions", row["id"], {"status": "resolved", "resolved_at": T0 + after})
    assert row["sla_resolution_met"] is met
    assert row["resolved_at"] == T0 + after
    assert row["closed_at"] is None


def test_resolving_without_a_timestamp_uses_now(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="low")
    row = hd.update(conn, "support_interactions", row["id"], {"status": "resolved"})
    now = conn.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
    assert row["resolved_at"] is not None and abs(row["resolved_at"] - now) < timedelta(seconds=5)
    assert row["sla_resolution_met"] is True


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_insert_as_resolved_or_closed(owner, status: str) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, status=status, priority="high")
    assert row["resolved_at"] is not None
    assert row["sla_resolution_met"] is True  # created now, resolved now: within 48 h
    assert (row["closed_at"] is not None) is (status == "closed")


def test_insert_as_resolved_late_is_missed(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, status="resolved", priority="critical",
                         created_at=T0, resolved_at=T0 + timedelta(days=2))
    assert row["sla_resolution_met"] is False


def test_closing_stamps_closed_at_and_reopening_clears(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, created_at=T0)
    row = hd.update(conn, "support_interactions", row["id"],
                    {"status": "closed", "resolved_at": T0 + timedelta(hours=1)})
    assert row["closed_at"] is not None and row["sla_resolution_met"] is True
    row = hd.update(conn, "support_interactions", row["id"], {"status": "open"})
    assert (row["resolved_at"], row["closed_at"], row["sla_resolution_met"]) == (None, None, None)


def test_priority_change_while_open_retargets(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="low", created_at=T0)
    row = hd.update(conn, "support_interactions", row["id"], {"priority": "critical"})
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (2, 24)
    assert row["sla_resolution_due_at"] == T0 + timedelta(hours=24)
    # Targets supplied in the same UPDATE win.
    row = hd.update(conn, "support_interactions", row["id"],
                    {"priority": "medium", "sla_target_response_hours": 6, "sla_target_resolution_hours": 7})
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (6, 7)
    assert row["sla_response_due_at"] == T0 + timedelta(hours=6)


def test_priority_change_after_resolution_keeps_targets(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="low", created_at=T0, status="resolved",
                         resolved_at=T0 + timedelta(hours=30))
    row = hd.update(conn, "support_interactions", row["id"], {"priority": "critical"})
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (24, 120)
    assert row["sla_resolution_met"] is True


def test_message_counters_and_touchpoints(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization)
    assert (row["customer_contacted"], row["customer_response_received"], row["total_touchpoints"]) == (False, False, 1)
    row = hd.update(conn, "support_interactions", row["id"], {"messages_sent": 2})
    assert (row["customer_contacted"], row["customer_response_received"], row["total_touchpoints"]) == (True, False, 3)
    row = hd.update(conn, "support_interactions", row["id"], {"messages_received": 1})
    assert (row["customer_response_received"], row["total_touchpoints"]) == (True, 4)
    # An explicit value in the UPDATE is the writer's (never below the message count).
    row = hd.update(conn, "support_interactions", row["id"], {"total_touchpoints": 10})
    assert row["total_touchpoints"] == 10
    row = hd.update(conn, "support_interactions", row["id"], {"total_touchpoints": 0})
    assert row["total_touchpoints"] == 3


def test_inserted_with_messages(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, messages_sent=3, messages_received=2)
    assert (row["customer_contacted"], row["customer_response_received"], row["total_touchpoints"]) == (True, True, 5)


def test_updated_at_moves(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, updated_at=T0)
    assert row["updated_at"] == T0  # inserting keeps a supplied value
    row = hd.update(conn, "support_interactions", row["id"], {"subject": "Changed"})
    assert row["updated_at"] > T0


def test_response_larger_than_configured_resolution_is_rejected(owner) -> None:
    conn, client, organization = owner
    with pytest.raises(psycopg.errors.CheckViolation), conn.transaction():
        hd.interaction(conn, client, organization, priority="critical", sla_target_response_hours=30)


def test_service_role_writes_go_through_the_trigger(owner) -> None:
    conn, client, organization = owner
    with conn.transaction():
        conn.execute("DISCARD PLANS")
        conn.execute("SET LOCAL ROLE service_role")
        row = hd.interaction(conn, client, organization, priority="high", created_at=T0, status="closed")
        conn.execute("RESET ROLE")
    assert row["sla_resolution_due_at"] == T0 + timedelta(hours=48)
    assert row["resolved_at"] is not None and row["closed_at"] is not None
