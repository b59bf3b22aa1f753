"""Issue 10 items 3-5 and issue 14's first blind spot: tenant moves, errors that reveal nothing of
invisible rows, column-level rights (an assignee cannot erase an SLA breach), and the matrix proving
each UPDATE policy's WITH CHECK."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from healthschema.checks import access_matrix as am
from healthschema.checks import policy_check
from tests import health_data as hd
from tests.integrity_helpers import as_user, member, org_with_client

conn = hd.shared_connection()


def _visible(conn: hd.Conn, table: str, ids: list[Any]) -> int:
    row = conn.execute(f"SELECT count(*) FROM public.{table} WHERE id = ANY(%s)", (ids,)).fetchone()
    assert row is not None
    return int(row[0])


def test_access_follows_a_client_that_moves(conn: hd.Conn) -> None:
    """The reproduction: after UPDATE clients SET organization_id = B, org A kept reading the
    client's milestones and org B read none. sync_client_changes (which the platform calls, and
    the refresh job runs) moves our rows; the old organization loses access, the new one gains it."""
    org_a, client = org_with_client(conn)
    org_b = hd.org(conn)
    admin_a, admin_b = member(conn, org_a), member(conn, org_b)
    milestones = [hd.milestone(conn, client, org_a)["id"] for _ in range(3)]
    interaction = hd.interaction(conn, client, org_a)["id"]
    snapshot = hd.snapshot(conn, client, org_a)["id"]
    conn.execute("UPDATE public.clients SET organization_id = %s WHERE id = %s", (org_b, client))
    changed = conn.execute("SELECT healthschema_private.sync_client_changes(%s)", (client,)).fetchone()
    assert changed == (5,)
    for user, expected in ((admin_a, 0), (admin_b, 1)):
        with as_user(conn, user):
            assert _visible(conn, "success_milestones", milestones) == 3 * expected
            assert _visible(conn, "support_interactions", [interaction]) == expected
            assert _visible(conn, "customer_health", [snapshot]) == expected
    # Calling it again changes nothing.
    assert conn.execute("SELECT healthschema_private.sync_client_changes(%s)", (client,)).fetchone() == (0,)


def test_the_refresh_job_reconciles_moved_clients(conn: hd.Conn) -> None:
    org_a, client = org_with_client(conn)
    org_b = hd.org(conn)
    milestone = hd.milestone(conn, client, org_a)["id"]
    conn.execute("UPDATE public.clients SET organization_id = %s WHERE id = %s", (org_b, client))
    conn.execute("SELECT healthschema_private.refresh_customer_health(%s)", (org_b,))
    rows = conn.execute("SELECT organization_id FROM public.success_milestones WHERE id = %s", (milestone,))
    assert rows.fetchall() == [(org_b,)]
    current = conn.execute("SELECT organization_id FROM public.customer_health WHERE client_id = %s AND is_current",
                           (client,)).fetchall()
    assert current == [(org_b,)]


def test_sync_is_service_role_only(conn: hd.Conn) -> None:
    org_a, _ = org_with_client(conn)
    with as_user(conn, member(conn, org_a)), \
            pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
        conn.execute("SELECT healthschema_private.sync_client_changes()")


# Errors never reveal rows the caller cannot read ---------------------------------------------------
@pytest.mark.parametrize("table", ["success_milestones", "support_interactions"])
def test_naming_another_tenants_client_reveals_nothing(conn: hd.Conn, table: str) -> None:
    """On main: 'organization_id <A> does not match organization <B> of client <X>' told an org-A
    user the other tenant's organization id. Now the same generic 42501 for a client of another
    organization, a client without one and a client that does not exist."""
    org_a, _ = org_with_client(conn)
    org_b, client_b = org_with_client(conn)
    orphan = hd.client(conn, None)
    user = member(conn, org_a)
    messages = []
    for client in (client_b, orphan, hd.uuid.uuid4()):
        with as_user(conn, user), pytest.raises(psycopg.errors.InsufficientPrivilege) as info, conn.transaction():
            values = hd.MILESTONE | {"milestone_name": "x"} if table == "success_milestones" else hd.INTERACTION
            hd.insert(conn, table, {"client_id": client, "organization_id": org_a, **values})
        text = f"{info.value.diag.message_primary} {info.value.diag.message_detail} {info.value.diag.message_hint}"
        assert str(org_b) not in text and str(client) not in text
        messages.append(text)
    # What PostgREST returns (message, details, hint): the policy's own words, whatever the client.
    assert messages == [f'new row violates row-level security policy for table "{table}" None None'] * 3


def test_a_prerequisite_of_another_tenant_is_reported_as_missing(conn: hd.Conn) -> None:
    """On main the error named the other tenant's milestone and its status."""
    org_a, client_a = org_with_client(conn)
    org_b, client_b = org_with_client(conn)
    secret = hd.milestone(conn, client_b, org_b, milestone_name="Secret merger plan", status="in_progress")["id"]
    missing = hd.uuid.uuid4()
    user = member(conn, org_a)
    texts = []
    for prerequisite in (secret, missing):
        with as_user(conn, user), pytest.raises(psycopg.errors.ForeignKeyViolation) as info, conn.transaction():
            hd.milestone(conn, client_a, org_a, prerequisite_milestone_ids=[prerequisite])
        texts.append(re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}", "<id>", str(info.value.diag.message_primary)))
        assert "Secret" not in str(info.value) and "in_progress" not in str(info.value)
    assert texts[0] == texts[1]
    # The owner (a trusted caller) still gets the precise reason.
    with pytest.raises(psycopg.errors.CheckViolation, match="belongs to another client"), conn.transaction():
        hd.milestone(conn, client_a, org_a, prerequisite_milestone_ids=[secret])


# Column-level rights ---------------------------------------------------------------------------
def _interaction_breached(conn: hd.Conn) -> tuple[Any, Any, Any]:
    org_a, client = org_with_client(conn)
    user = member(conn, org_a, role="MEMBER")
    created = datetime.now(UTC) - timedelta(days=2)
    row = hd.interaction(conn, client, org_a, assigned_user_id=user, created_at=created, priority="critical")
    return user, row["id"], created


@pytest.mark.parametrize(("column", "value"), [
    ("created_at", datetime.now(UTC)), ("sla_target_response_hours", 1000), ("sla_target_resolution_hours", 1000),
    ("sla_response_due_at", datetime.now(UTC) + timedelta(days=9)), ("resolved_at", datetime.now(UTC)),
    ("sla_response_met", True), ("total_touchpoints", 99), ("customer_satisfaction_rating", 5),
])
def test_an_assignee_cannot_erase_an_sla_breach(conn: hd.Conn, column: str, value: Any) -> None:
    """On main moving created_at turned sla_response_met from false to true."""
    user, interaction, _ = _interaction_breached(conn)
    conn.execute("UPDATE public.support_interactions SET first_response_at = created_at + interval '3 hours'"
                 " WHERE id = %s", (interaction,))
    before = hd.fetch(conn, "SELECT * FROM public.support_interactions WHERE id = %s", (interaction,))[0]
    assert before["sla_response_met"] is False
    with as_user(conn, user), pytest.raises(psycopg.errors.InsufficientPrivilege,
                                            match=f"{column}|permission denied for table"), conn.transaction():
        conn.execute(f"UPDATE public.support_interactions SET {column} = %s WHERE id = %s", (value, interaction))
    after = hd.fetch(conn, "SELECT * FROM public.support_interactions WHERE id = %s", (interaction,))[0]
    assert after == before


def test_a_first_response_is_recorded_now_and_only_once(conn: hd.Conn) -> None:
    user, interaction, created = _interaction_breached(conn)
    with as_user(conn, user):
        conn.execute("UPDATE public.support_interactions SET first_response_at = %s, status = 'in_progress'"
                     " WHERE id = %s", (created + timedelta(minutes=5), interaction))
    row = hd.fetch(conn, "SELECT first_response_at, sla_response_met, now() AS now FROM public.support_interactions"
                         " WHERE id = %s", (interaction,))[0]
    assert row["first_response_at"] == row["now"] and row["sla_response_met"] is False
    with as_user(conn, user), pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
        conn.execute("UPDATE public.support_interactions SET first_response_at = %s WHERE id = %s",
                     (created, interaction))


def test_the_assignee_keeps_the_columns_of_its_job(conn: hd.Conn) -> None:
    user, interaction, _ = _interaction_breached(conn)
    with as_user(conn, user):
        updated = conn.execute(
            "UPDATE public.support_interactions SET status = 'resolved', resolution_notes = 'done',"
            " messages_sent = 2, tags = ARRAY['billing'] WHERE id = %s", (interaction,))
        assert updated.rowcount == 1


# The matrix proves each UPDATE policy's WITH CHECK (issue 14 blind spot 1) ------------------------
WEAK_CHECK = ("organization_id = ANY ((SELECT healthschema_private.admin_organization_ids())::uuid[])"
              " OR assigned_user_id = (SELECT auth.uid())"
              " OR (SELECT healthschema_private.platform_role()) IN ('platform_admin', 'customer_success')")


def test_dropping_the_assignees_own_org_check_is_caught(applied_db: str) -> None:
    """Without the own-organization condition in the assignee's WITH CHECK on success_milestones,
    a bare UPDATE as assignee_a moves an org-A milestone into org B: the bare move cell fails (the
    RETURNING cell alone did not notice, since RETURNING applies the SELECT policy too)."""
    cells = [c for c in am.cells() if c.table == "success_milestones" and c.target == "move"]
    with psycopg.connect(applied_db, autocommit=True) as owner:
        with owner.transaction(force_rollback=True):
            owner.execute(f"ALTER POLICY success_milestones_update ON public.success_milestones"
                          f" WITH CHECK ({WEAK_CHECK})")
            results = list(policy_check.run_matrix(owner, cells=cells))
        wrong = {(r.persona, r.returning) for r in results if not r.ok}
        assert wrong == {("assignee_a", False)}, [r.describe() for r in results if not r.ok]
        # ... and with the real policy every move cell holds.
        assert all(r.ok for r in policy_check.run_matrix(owner, cells=cells))
    assert json.dumps(WEAK_CHECK)


def test_security_doc_lists_the_column_rights() -> None:
    """docs/security.md shows each persona's columns exactly as the data grants them."""
    from pathlib import Path

    from healthschema.files import column_rights

    doc = (Path(__file__).resolve().parents[1] / "docs" / "security.md").read_text(encoding="utf-8")
    for classes in column_rights.COLUMN_RIGHTS.values():
        for columns in classes.values():
            assert f"| {', '.join(f'`{c}`' for c in columns)} |" in doc
    assert f"{len(am.column_cells())} column cells" in doc
