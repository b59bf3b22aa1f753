"""Regression tests for the trigger/function defects of reference §11 (own findings 5-9)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from healthschema import operations
from healthschema.files.project import Project
from tests import health_data as hd
from tests.helpers import query, scalar, user_objects

conn = hd.shared_connection()

T0 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def owner(conn: hd.Conn) -> tuple[hd.Conn, uuid.UUID, uuid.UUID]:
    organization = hd.org(conn)
    return conn, hd.client(conn, organization), organization


# §11.5 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("churn", "urgency", "expected"), [
    ("critical", "medium", "critical"), ("high", "medium", "high"), ("low", "medium", "low"),
    ("medium", "medium", "medium"),  # the original raised CASE_NOT_FOUND here
    (None, "medium", "medium"), ("critical", "low", "low"),
])
def test_11_5_urgency_mapping_never_raises_case_not_found(owner, churn: str | None, urgency: str,
                                                          expected: str) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, churn_risk_level=churn, urgency=urgency)
    assert row["urgency"] == expected


_WORDS = re.compile(r"\b(END\s+(?:IF|LOOP|CASE)|CASE|ELSE|END|BEGIN|IF|LOOP)\b", re.I)
_NOISE = re.compile(r"'(?:[^']|'')*'|--[^\n]*|\"(?:[^\"]|\"\")*\"")


def cases_without_else(source: str) -> int:
    """How many CASE ... END (SQL or PL/pgSQL) in ``source`` have no ELSE branch of their own."""
    words = [w.upper() for w in _WORDS.findall(_NOISE.sub(" ", source))]
    stack: list[list[object]] = []
    missing = 0
    for word in words:
        if word.startswith("END"):
            frame = stack.pop()
            missing += frame[0] == "CASE" and not frame[1]
        elif word == "ELSE":
            stack[-1][1] = True
        else:
            stack.append([word, False])
    assert not stack, "unbalanced source"
    return missing


def test_case_counter_detects_a_missing_else() -> None:
    assert cases_without_else("BEGIN x := CASE y WHEN 1 THEN 2 END; END") == 1
    assert cases_without_else("BEGIN IF a THEN b; ELSE c; END IF; x := CASE WHEN 1 THEN 2 ELSE 3 END; END") == 0
    assert cases_without_else("BEGIN CASE y WHEN 1 THEN NULL; END CASE; END") == 1
    assert cases_without_else("BEGIN x := 'CASE'; END") == 0
    assert cases_without_else("SELECT CASE WHEN a THEN 1 ELSE 2 END, CASE WHEN b THEN 1 END") == 1


def test_11_5_no_function_of_ours_has_a_case_without_else(applied_db: str) -> None:
    rows = query(applied_db, """
        SELECT p.oid::regprocedure::text, p.prosrc, l.lanname
          FROM pg_proc AS p
          JOIN pg_namespace AS n ON n.oid = p.pronamespace
          JOIN pg_language AS l ON l.oid = p.prolang
         WHERE n.nspname = 'healthschema_private' AND l.lanname IN ('plpgsql', 'sql')""")
    assert len(rows) >= 10
    for name, source, language in rows:
        body = source if language == "plpgsql" else f"BEGIN {source} END"
        assert cases_without_else(body) == 0, name


# §11.6 -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_11_6_insert_as_resolved_or_closed_works(owner, status: str) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, status=status)
    assert row["resolved_at"] is not None


# §11.7 -------------------------------------------------------------------------------------------
def test_11_7_reopening_a_completed_milestone_needs_no_progress_change(owner) -> None:
    conn, client, organization = owner
    row = hd.milestone(conn, client, organization, status="completed")
    for status in ("in_progress", "pending", "completed", "skipped"):
        row = hd.update(conn, "success_milestones", row["id"], {"status": status})
        assert row["status"] == status
        assert (row["progress_percentage"] == 100) is (status == "completed")


# §11.9 -------------------------------------------------------------------------------------------
def test_11_9_sla_targets_can_be_customised(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="critical",
                         sla_target_response_hours=8, sla_target_resolution_hours=96)
    assert (row["sla_target_response_hours"], row["sla_target_resolution_hours"]) == (8, 96)


def test_11_9_total_touchpoints_is_not_reset(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization)
    assert row["total_touchpoints"] == 1
    row = hd.update(conn, "support_interactions", row["id"], {"status": "in_progress"})
    assert row["total_touchpoints"] == 1  # the original trigger made this 0


def test_11_9_resolution_sla_follows_a_corrected_resolved_at(owner) -> None:
    conn, client, organization = owner
    row = hd.interaction(conn, client, organization, priority="critical", created_at=T0, status="resolved",
                         resolved_at=T0 + timedelta(hours=30))
    assert row["sla_resolution_met"] is False
    row = hd.update(conn, "support_interactions", row["id"], {"resolved_at": T0 + timedelta(hours=20)})
    assert row["sla_resolution_met"] is True


# Rollback removes exactly what 000400-000600 created --------------------------------------------
def fingerprint(url: str) -> list[object]:
    return [
        user_objects(url),
        query(url, "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"),
        query(url, "SELECT nspacl::text FROM pg_namespace WHERE nspname = 'healthschema_private'"),
        query(url, "SELECT count(*) FROM public.milestone_templates"),
        query(url, "SELECT count(*) FROM public.success_milestones"),
    ]


def test_11_8_null_organization_client_does_not_break_the_seed_and_rollback_is_exact(
    empty_db: str, project: Project,
) -> None:
    operations.apply(project, empty_db, with_platform_stub=True, to="20250901000300")
    with psycopg.connect(empty_db, autocommit=True) as conn:
        organization = hd.org(conn)
        orphan = hd.client(conn, None)
        member = hd.client(conn, organization)
        manual = hd.client(conn, organization)
        hd.milestone(conn, manual, organization)  # a hand-made milestone survives the rollback
    before = fingerprint(empty_db)
    operations.apply(project, empty_db, to="20250901000600")  # the seed back-fills existing clients
    templates = scalar(empty_db, "SELECT count(*) FROM public.milestone_templates")
    assert templates > 0
    counts = dict(query(empty_db, "SELECT client_id, count(*) FROM public.success_milestones GROUP BY client_id"))
    assert counts == {member: templates, manual: templates + 1}
    assert orphan not in counts
    assert fingerprint(empty_db) != before
    operations.rollback(project, empty_db, to="20250901000300")
    assert fingerprint(empty_db) == before
