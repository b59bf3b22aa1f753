"""Regression tests for the defects of the original design (reference §11) that the table layer
must make impossible. Trigger-side defects (§11.5-9 behaviour) are in
test_schema_function_regressions.py; RLS defects (§11.3 policies, §11.4) in the RLS tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from healthschema.files.project import Project
from tests.helpers import rolled_back
from tests.schema_rows import Conn, new_client, new_org, new_user


@pytest.fixture
def conn(shared_conn: Conn) -> Iterator[Conn]:
    """The shared applied database, inside a transaction rolled back after the test."""
    with rolled_back(shared_conn):
        yield shared_conn



def _milestone(conn: Conn, client: uuid.UUID, org: uuid.UUID, **extra: Any) -> uuid.UUID:
    columns = {"client_id": client, "organization_id": org, "milestone_type": "onboarding",
               "milestone_category": "onboarding", "milestone_name": "Onboarding", **extra}
    names, values = list(columns), list(columns.values())
    row = conn.execute(
        f"INSERT INTO public.success_milestones ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        " RETURNING id", values).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


def _interaction(conn: Conn, client: uuid.UUID, org: uuid.UUID, **extra: Any) -> uuid.UUID:
    columns = {"client_id": client, "organization_id": org, "interaction_type": "support_ticket",
               "interaction_category": "support", "interaction_method": "email", "subject": "Help", **extra}
    names, values = list(columns), list(columns.values())
    row = conn.execute(
        f"INSERT INTO public.support_interactions ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        " RETURNING id", values).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


@pytest.fixture
def tenant(conn: Conn) -> tuple[uuid.UUID, uuid.UUID]:
    org = new_org(conn)
    return new_client(conn, org), org


def _rejected_by(conn: Conn, sql: str, params: Any) -> str | None:
    try:
        with conn.transaction():
            conn.execute(sql, params)
            raise psycopg.Rollback()
    except psycopg.errors.IntegrityError as exc:
        return exc.diag.constraint_name or exc.sqlstate
    return None


def test_11_3_lower_case_admin_roles_cannot_exist(conn: Conn) -> None:
    """§11.3: policies compared against 'admin'/'owner'; the platform only has upper-case roles."""
    user = new_user(conn)
    sql = "INSERT INTO public.user_profiles (user_id, role) VALUES (%s, %s)"
    for role in ("admin", "owner", "customer_success"):
        assert _rejected_by(conn, sql, (user, role)) == "user_profiles_role_check"
    assert _rejected_by(conn, sql, (user, "ADMIN")) is None


def test_11_10_value_sets_are_enforced_not_only_commented(conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    """§11.10 / SPEC §2.2: status, priority, urgency, ... were comment-only; now named CHECKs."""
    client, org = tenant
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")  # the CHECKs alone
        cases = [
            ("success_milestones", "status", "done"), ("success_milestones", "priority", "urgent"),
            ("success_milestones", "milestone_category", "misc"),
            ("support_interactions", "status", "Open"), ("support_interactions", "urgency", "asap"),
            ("support_interactions", "churn_risk_level", "extreme"),
            ("support_interactions", "interaction_method", "fax"),
            ("customer_health", "billing_status", "free"), ("customer_health", "health_status", "healthy"),
        ]
        for table, column, bad in cases:
            insert = {"success_milestones": _milestone, "support_interactions": _interaction}.get(table)
            with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
                if insert is None:
                    conn.execute(f"INSERT INTO public.{table} (client_id, organization_id, {column})"
                                 " VALUES (%s, %s, %s)", (client, org, bad))
                else:
                    insert(conn, client, org, **{column: bad})
            assert info.value.diag.constraint_name == f"{table}_{column}_check"
        raise psycopg.Rollback()


def test_11_10_satisfaction_rating_has_exactly_one_check(conn: Conn) -> None:
    """§11.10: the 1-5 rating was checked twice (column CHECK + valid_satisfaction)."""
    rows = conn.execute("""
        SELECT conname FROM pg_constraint
         WHERE conrelid = 'public.support_interactions'::regclass AND contype = 'c'
           AND pg_get_constraintdef(oid) LIKE '%%customer_satisfaction_rating%%'""").fetchall()
    assert rows == [("support_interactions_customer_satisfaction_rating_check",)]


def test_11_10_original_value_sets_are_kept(project: Project) -> None:
    """The web app's TypeScript unions (reference §9) and the original comments (reference §2) still fit."""
    sets = project.variables["value_sets"]
    assert sets["milestone_status"] == ["pending", "in_progress", "completed", "skipped"]
    assert sets["priority"] == ["low", "medium", "high", "critical"]
    assert sets["interaction_status"] == ["open", "in_progress", "pending_customer", "resolved", "closed", "escalated"]
    assert set(sets["risk_level"]) == {"low", "medium", "high", "critical"}
    assert set(sets["team"]) >= {"customer_success", "support", "sales", "technical"}
    assert set(sets["milestone_type"]) >= {"onboarding", "onboarding_complete", "first_form", "guest_list_complete",
                                           "vendor_booking", "timeline_created"}
    assert set(sets["milestone_category"]) >= {"onboarding", "planning", "vendor_management", "guest_management",
                                               "communication"}
    assert set(sets["interaction_type"]) >= {"proactive_outreach", "support_ticket", "health_check",
                                             "churn_prevention", "onboarding_assistance"}
    assert set(sets["interaction_category"]) >= {"support", "success", "sales", "technical", "billing"}
    assert set(sets["interaction_method"]) >= {"email", "phone", "chat", "in_app", "video_call", "automated"}


def test_11_10_template_id_no_longer_dangles(conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    """§11.10: template_id had no FK and no template table; now it references milestone_templates,
    and deleting a template keeps its milestones (template_id becomes NULL)."""
    client, org = tenant
    with pytest.raises(psycopg.errors.ForeignKeyViolation), conn.transaction():
        _milestone(conn, client, org, template_id=uuid.uuid4())
    template = conn.execute(
        "INSERT INTO public.milestone_templates (template_key, milestone_name, milestone_type, milestone_category)"
        " VALUES ('regression_key', 'R', 'onboarding', 'onboarding') RETURNING id").fetchone()
    assert template is not None
    milestone = _milestone(conn, client, org, template_id=template[0])
    conn.execute("DELETE FROM public.milestone_templates WHERE id = %s", (template[0],))
    assert conn.execute("SELECT template_id FROM public.success_milestones WHERE id = %s",
                        (milestone,)).fetchone() == (None,)


def test_11_10_deleting_an_assigned_user_unassigns_instead_of_failing(
        conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    """§11.10: NO ACTION FKs to user_profiles blocked deleting an assignee. The assignee is now an
    auth user (what auth.uid() returns) and ON DELETE SET NULL."""
    client, org = tenant
    user = new_user(conn)
    milestone = _milestone(conn, client, org, assigned_user_id=user)
    interaction = _interaction(conn, client, org, assigned_user_id=user)
    conn.execute("DELETE FROM auth.users WHERE id = %s", (user,))
    assert conn.execute("SELECT assigned_user_id FROM public.success_milestones WHERE id = %s",
                        (milestone,)).fetchone() == (None,)
    assert conn.execute("SELECT assigned_user_id FROM public.support_interactions WHERE id = %s",
                        (interaction,)).fetchone() == (None,)


def test_11_10_deleting_a_related_milestone_keeps_the_interaction(
        conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    client, org = tenant
    milestone = _milestone(conn, client, org)
    interaction = _interaction(conn, client, org, related_milestone_id=milestone)
    conn.execute("DELETE FROM public.success_milestones WHERE id = %s", (milestone,))
    assert conn.execute("SELECT related_milestone_id FROM public.support_interactions WHERE id = %s",
                        (interaction,)).fetchone() == (None,)


def test_deleting_a_client_or_organization_cascades(conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    client, org = tenant
    other_client = new_client(conn, org)
    for c in (client, other_client):
        conn.execute("INSERT INTO public.customer_health (client_id, organization_id) VALUES (%s, %s)", (c, org))
        _interaction(conn, c, org, related_milestone_id=_milestone(conn, c, org))

    def count(c: uuid.UUID) -> int:
        row = conn.execute("""SELECT (SELECT count(*) FROM public.customer_health WHERE client_id = %(c)s)
                                   + (SELECT count(*) FROM public.success_milestones WHERE client_id = %(c)s)
                                   + (SELECT count(*) FROM public.support_interactions WHERE client_id = %(c)s)""",
                           {"c": c}).fetchone()
        assert row is not None
        return int(row[0])

    assert count(client) == 3
    conn.execute("DELETE FROM public.clients WHERE id = %s", (client,))
    assert count(client) == 0 and count(other_client) == 3
    conn.execute("DELETE FROM public.organizations WHERE id = %s", (org,))
    assert count(other_client) == 0


def test_reviewer_4_array_elements_are_validated(conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    """Reviewer claim 4 ("array validation gaps"): NULL elements in id/tag arrays are rejected."""
    client, org = tenant
    with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
        _interaction(conn, client, org, tags=["vip", None])
    assert info.value.diag.constraint_name == "support_interactions_tags_check"
    with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")  # the CHECK, not the prerequisite trigger
        _milestone(conn, client, org, dependent_milestone_ids=[uuid.uuid4(), None])
    assert info.value.diag.constraint_name == "success_milestones_dependent_milestone_ids_check"


def test_11_8_null_organization_client_gets_a_clear_error_not_a_not_null_crash(conn: Conn) -> None:
    """§11.8: a client with a NULL organization made the seed die on NOT NULL. The table layer
    names the problem instead (the seed/instantiation skips such clients: function tests)."""
    orphan = new_client(conn, None)
    org = new_org(conn)
    with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
        conn.execute("INSERT INTO public.customer_health (client_id, organization_id) VALUES (%s, %s)", (orphan, org))
    assert f"client {orphan} has no organization" in str(info.value)


def test_11_6_and_11_7_table_checks_allow_reopening(conn: Conn, tenant: tuple[uuid.UUID, uuid.UUID]) -> None:
    """§11.6 / §11.7 at the table layer: the CHECKs only demand what a finished row must have, so a
    completed milestone and a resolved interaction can be reopened (the triggers reset the rest)."""
    client, org = tenant
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")  # the CHECKs alone
        milestone = _milestone(conn, client, org, status="completed", progress_percentage=100,
                               completed_at="2026-01-01T00:00Z", actual_completion_date="2026-01-01")
        conn.execute("UPDATE public.success_milestones SET status = 'in_progress' WHERE id = %s", (milestone,))
        interaction = _interaction(conn, client, org, status="resolved", resolved_at="2026-01-01T00:00Z")
        conn.execute("UPDATE public.support_interactions SET status = 'open' WHERE id = %s", (interaction,))
        # ... while an unfinished "finished" row is still rejected.
        with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
            conn.execute("UPDATE public.success_milestones SET status = 'completed', progress_percentage = 90"
                         " WHERE id = %s", (milestone,))
        assert info.value.diag.constraint_name == "success_milestones_completion_check"
        with pytest.raises(psycopg.errors.CheckViolation) as info, conn.transaction():
            conn.execute("UPDATE public.support_interactions SET status = 'closed', resolved_at = NULL"
                         " WHERE id = %s", (interaction,))
        assert info.value.diag.constraint_name == "support_interactions_resolution_check"
        raise psycopg.Rollback()


def test_the_claimed_28_indexes_are_28(conn: Conn) -> None:
    """Reference §4: the original claimed 8 + 11 + 9 = 28 and defined 34."""
    row = conn.execute("""
        SELECT count(*) FROM pg_index
         WHERE NOT indisprimary AND indrelid = ANY(ARRAY['public.customer_health', 'public.success_milestones',
               'public.support_interactions']::regclass[])""").fetchone()
    assert row == (28,)
