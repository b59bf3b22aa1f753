"""Milestone templates (SPEC §2.4): the seeded catalogue and instantiate_milestone_templates()."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
import pytest

from healthschema.files.project import Project
from tests import health_data as hd

conn = hd.shared_connection()

CREATED = datetime(2026, 1, 10, 23, 30, tzinfo=UTC)  # creation date (UTC) 2026-01-10


def instantiate(conn: hd.Conn, key: str | None = None) -> int:
    row = conn.execute("SELECT healthschema_private.instantiate_milestone_templates(%s)", (key,)).fetchone()
    assert row is not None
    return int(row[0])


def milestones(conn: hd.Conn, client: uuid.UUID) -> dict[str, hd.Row]:
    rows = hd.fetch(conn, """
        SELECT t.template_key, m.* FROM public.success_milestones AS m
          JOIN public.milestone_templates AS t ON t.id = m.template_id
         WHERE m.client_id = %s""", (client,))
    return {r["template_key"]: r for r in rows}


def test_seed_matches_the_project_variables(conn: hd.Conn, project: Project) -> None:
    wanted = project.variables["milestone_templates"]
    rows = {r["template_key"]: r for r in hd.fetch(conn, "SELECT * FROM public.milestone_templates")}
    assert set(rows) == {t["template_key"] for t in wanted}
    for template in wanted:
        row = rows[template["template_key"]]
        for key, value in template.items():
            assert row[key] == value, (template["template_key"], key)
        assert row["is_active"] is True


def test_template_prerequisites_are_known_keys_without_cycles(project: Project) -> None:
    graph = {t["template_key"]: t["prerequisite_keys"] for t in project.variables["milestone_templates"]}
    assert all(key in graph for keys in graph.values() for key in keys)
    done: set[str] = set()
    while len(done) < len(graph):  # Kahn: a cycle would leave nodes that never become ready
        ready = {k for k, pre in graph.items() if k not in done and set(pre) <= done}
        assert ready, f"cycle among {sorted(set(graph) - done)}"
        done |= ready


def test_instantiation_creates_every_template_with_dates_and_prerequisites(conn: hd.Conn, project: Project) -> None:
    organization = hd.org(conn)
    wedding = date(2026, 9, 12)
    client = hd.client(conn, organization, wedding_date=wedding, created_at=CREATED)
    templates = {t["template_key"]: t for t in project.variables["milestone_templates"]}
    assert instantiate(conn) == len(templates)
    rows = milestones(conn, client)
    assert set(rows) == set(templates)
    ids = {key: row["id"] for key, row in rows.items()}
    for key, template in templates.items():
        row = rows[key]
        anchor = wedding if template["due_anchor"] == "wedding_date" else date(2026, 1, 10)
        assert row["target_completion_date"] == anchor + timedelta(days=template["due_offset_days"]), key
        assert sorted(row["prerequisite_milestone_ids"]) == sorted(ids[k] for k in template["prerequisite_keys"])
        assert (row["status"], row["auto_generated"], row["organization_id"]) == ("pending", True, organization)
        assert (row["milestone_name"], row["milestone_type"], row["priority"]) == (
            template["milestone_name"], template["milestone_type"], template["priority"])
        assert row["wedding_date"] == wedding


def test_instantiation_is_idempotent_and_skips_clients_without_organization(conn: hd.Conn) -> None:
    organization = hd.org(conn)
    clients = [hd.client(conn, organization) for _ in range(3)]
    orphan = hd.client(conn, None)
    count = conn.execute("SELECT count(*) FROM public.milestone_templates WHERE is_active").fetchone()[0]  # type: ignore[index]
    assert instantiate(conn) == 3 * count
    assert instantiate(conn) == 0
    # A client created later is back-filled by the next call, the others are untouched.
    late = hd.client(conn, organization)
    assert instantiate(conn) == count
    for c in [*clients, late]:
        assert len(milestones(conn, c)) == count
    assert milestones(conn, orphan) == {}
    pairs = conn.execute("SELECT count(*), count(DISTINCT (client_id, template_id)) FROM public.success_milestones"
                         ).fetchone()
    assert pairs == (4 * count, 4 * count)


def test_new_template_back_fills_existing_clients(conn: hd.Conn) -> None:
    organization = hd.org(conn)
    clients = [hd.client(conn, organization, created_at=CREATED) for _ in range(2)]
    instantiate(conn)
    for c in clients:  # progress on an existing milestone survives the back-fill
        conn.execute("UPDATE public.success_milestones SET status = 'completed'"
                     " WHERE client_id = %s AND template_id = (SELECT id FROM public.milestone_templates"
                     " WHERE template_key = 'onboarding')", (c,))
    conn.execute("""
        INSERT INTO public.milestone_templates (template_key, milestone_name, milestone_type, milestone_category,
                                                due_anchor, due_offset_days, prerequisite_keys)
        VALUES ('thank_you_cards', 'Send thank-you cards', 'custom', 'communication', 'client_created', 400,
                ARRAY['onboarding', 'final_details'])""")
    assert instantiate(conn, "thank_you_cards") == 2
    assert instantiate(conn, "thank_you_cards") == 0
    for c in clients:
        rows = milestones(conn, c)
        new = rows["thank_you_cards"]
        assert new["target_completion_date"] == date(2026, 1, 10) + timedelta(days=400)
        assert sorted(new["prerequisite_milestone_ids"]) == sorted(
            [rows["onboarding"]["id"], rows["final_details"]["id"]])
        assert rows["onboarding"]["status"] == "completed"


def test_inactive_templates_are_not_instantiated(conn: hd.Conn) -> None:
    organization = hd.org(conn)
    client = hd.client(conn, organization)
    conn.execute("UPDATE public.milestone_templates SET is_active = false WHERE template_key = 'budget'")
    instantiate(conn)
    assert "budget" not in milestones(conn, client)
    # vendor_booking lists budget as a prerequisite: it resolves to what exists.
    rows = milestones(conn, client)
    assert rows["vendor_booking"]["prerequisite_milestone_ids"] == [rows["first_form"]["id"]]


def test_wedding_anchor_without_wedding_date_uses_assumed_lead(conn: hd.Conn, project: Project) -> None:
    lead = project.variables["milestone_schedule"]["assumed_wedding_lead_days"]
    client = hd.client(conn, hd.org(conn), created_at=CREATED)
    instantiate(conn, "vendor_booking")
    row = milestones(conn, client)["vendor_booking"]
    assert row["target_completion_date"] == date(2026, 1, 10) + timedelta(days=lead - 180)
    assert (row["wedding_date"], row["days_until_wedding"]) == (None, None)


def test_unknown_template_key(conn: hd.Conn) -> None:
    with pytest.raises(psycopg.errors.NoDataFound, match="no_such_template"), conn.transaction():
        instantiate(conn, "no_such_template")


def test_template_cycle_is_rejected_at_instantiation(conn: hd.Conn) -> None:
    hd.client(conn, hd.org(conn))
    conn.execute("""
        INSERT INTO public.milestone_templates (template_key, milestone_name, milestone_type, milestone_category,
                                                prerequisite_keys)
        VALUES ('loop_a', 'A', 'custom', 'planning', ARRAY['loop_b']),
               ('loop_b', 'B', 'custom', 'planning', ARRAY['loop_a'])""")
    with pytest.raises(psycopg.errors.CheckViolation, match="cycle"), conn.transaction():
        instantiate(conn)


def test_only_service_role_may_run_it(conn: hd.Conn) -> None:
    hd.client(conn, hd.org(conn))
    privileges: dict[str, Any] = {}
    for role in ("service_role", "authenticated", "anon"):
        try:
            with conn.transaction():
                conn.execute(f"SET LOCAL ROLE {role}")
                privileges[role] = instantiate(conn, "onboarding")
                conn.execute("RESET ROLE")
        except psycopg.errors.InsufficientPrivilege:
            privileges[role] = "denied"
    assert privileges == {"service_role": 1, "authenticated": "denied", "anon": "denied"}
    assert conn.execute("SELECT current_user = session_user").fetchone() == (True,)
