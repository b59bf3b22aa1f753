"""Inserted milestones are checked once per INSERT statement (success_milestones_check_inserted,
docs/formulas.md): every rule still holds for every caller, multi-row inserts included, and the
template back-fill writes each milestone once (its links computed in the INSERT itself)."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg
import pytest
from psycopg import sql

from tests import health_data as hd
from tests.integrity_helpers import as_user, member, org_with_client

conn = hd.shared_connection()


def _insert_many(conn: hd.Conn, client: uuid.UUID, organization: uuid.UUID,
                 rows: list[dict[str, Any]]) -> list[hd.Row]:
    """One INSERT statement of several milestones (every row names the same columns)."""
    rows = [{"client_id": client, "organization_id": organization, "milestone_name": f"M{i}", **hd.MILESTONE, **r}
            for i, r in enumerate(rows)]
    columns = list(rows[0])
    query = sql.SQL("INSERT INTO public.success_milestones ({}) VALUES {} RETURNING *").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        sql.SQL(", ").join(sql.SQL("({})").format(sql.SQL(", ").join(sql.Placeholder() for _ in columns))
                           for _ in rows))
    return hd.fetch(conn, query, [r[c] for r in rows for c in columns])


def _links(conn: hd.Conn, ids: list[Any]) -> dict[Any, tuple[list[Any], list[Any]]]:
    rows = conn.execute("SELECT id, prerequisite_milestone_ids, dependent_milestone_ids FROM public.success_milestones"
                        " WHERE id = ANY(%s)", (ids,)).fetchall()
    return {r[0]: (list(r[1]), sorted(r[2])) for r in rows}


def test_one_insert_cannot_close_a_cycle_through_its_own_rows(conn: hd.Conn) -> None:
    organization, client = org_with_client(conn)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    with pytest.raises(psycopg.errors.CheckViolation, match="prerequisite cycle"), conn.transaction():
        _insert_many(conn, client, organization, [{"id": a, "prerequisite_milestone_ids": [b]},
                                                  {"id": b, "prerequisite_milestone_ids": [c]},
                                                  {"id": c, "prerequisite_milestone_ids": [a]}])
    assert conn.execute("SELECT count(*) FROM public.success_milestones WHERE id = ANY(%s)",
                        ([a, b, c],)).fetchone() == (0,)


def test_one_insert_may_name_its_later_rows_and_links_them(conn: hd.Conn) -> None:
    """Per row, a prerequisite later in the same INSERT did not exist yet (23503); per statement it does."""
    organization, client = org_with_client(conn)
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _insert_many(conn, client, organization, [{"id": a, "prerequisite_milestone_ids": [b, c]},
                                              {"id": b, "prerequisite_milestone_ids": [c]},
                                              {"id": c, "prerequisite_milestone_ids": []}])
    assert _links(conn, [a, b, c]) == {a: ([b, c], []), b: ([c], [a]), c: ([], sorted([a, b]))}


def test_one_insert_rejects_a_missing_or_foreign_prerequisite(conn: hd.Conn) -> None:
    organization, client = org_with_client(conn)
    elsewhere = hd.milestone(conn, hd.client(conn, organization), organization)["id"]
    fine = hd.milestone(conn, client, organization)["id"]
    ghost = uuid.uuid4()
    with pytest.raises(psycopg.errors.ForeignKeyViolation, match=str(ghost)), conn.transaction():
        _insert_many(conn, client, organization, [{"prerequisite_milestone_ids": [fine]},
                                                  {"prerequisite_milestone_ids": [ghost]}])
    with pytest.raises(psycopg.errors.CheckViolation, match="another client"), conn.transaction():
        _insert_many(conn, client, organization, [{"prerequisite_milestone_ids": [fine]},
                                                  {"prerequisite_milestone_ids": [fine, elsewhere]}])
    assert _links(conn, [fine])[fine] == ([], [])


def test_supplied_dependents_are_replaced_by_the_real_ones(conn: hd.Conn) -> None:
    """A trusted writer may name dependent_milestone_ids on INSERT; the database keeps the truth."""
    organization, client = org_with_client(conn)
    a, b, forged = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    _insert_many(conn, client, organization, [{"id": a, "prerequisite_milestone_ids": [b],
                                               "dependent_milestone_ids": [forged]},
                                              {"id": b, "prerequisite_milestone_ids": [],
                                               "dependent_milestone_ids": [a, forged]}])
    assert _links(conn, [a, b]) == {a: ([b], []), b: ([], [a])}


def test_an_api_user_gets_every_check_on_a_multi_row_insert(conn: hd.Conn) -> None:
    """No bypass: as `authenticated` with JWT claims (PostgREST), one INSERT of several rows is
    checked like the owner's, a hidden prerequisite looks missing, and the links are kept."""
    org_a, client = org_with_client(conn)
    org_b, client_b = org_with_client(conn)
    secret = hd.milestone(conn, client_b, org_b, milestone_name="Secret")["id"]
    other_client = hd.milestone(conn, hd.client(conn, org_a), org_a)["id"]
    base = hd.milestone(conn, client, org_a)["id"]
    user = member(conn, org_a)
    with as_user(conn, user):
        with pytest.raises(psycopg.errors.ForeignKeyViolation, match="does not exist") as hidden, conn.transaction():
            _insert_many(conn, client, org_a, [{"prerequisite_milestone_ids": [base]},
                                               {"prerequisite_milestone_ids": [secret]}])
        assert "Secret" not in str(hidden.value)
        with pytest.raises(psycopg.errors.CheckViolation, match="another client"), conn.transaction():
            _insert_many(conn, client, org_a, [{"prerequisite_milestone_ids": [other_client]}])
        with pytest.raises(psycopg.errors.ForeignKeyViolation, match="does not exist"), conn.transaction():
            _insert_many(conn, client, org_a, [{"prerequisite_milestone_ids": [uuid.uuid4()]}])
        made = _insert_many(conn, client, org_a, [{"prerequisite_milestone_ids": [base]},
                                                  {"prerequisite_milestone_ids": [base]}])
    assert _links(conn, [base])[base] == ([], sorted(r["id"] for r in made))


def test_a_template_backfill_writes_each_milestone_once(conn: hd.Conn) -> None:
    """Before, the back-fill inserted the milestones and then updated them twice over (their
    prerequisites, then each prerequisite's dependents), through every row trigger."""
    organization, client = org_with_client(conn)
    updates = "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'public.success_milestones'::regclass"
    before = conn.execute(updates).fetchone()
    # this client only: the range (previous client id, client]
    conn.execute("SELECT healthschema_private.instantiate_milestone_templates_range(NULL,"
                 " (SELECT id FROM public.clients WHERE id < %s ORDER BY id DESC LIMIT 1), %s)", (client, client))
    assert conn.execute(updates).fetchone() == before
    rows = hd.fetch(conn, """SELECT m.id, t.template_key, t.prerequisite_keys, m.prerequisite_milestone_ids AS pre,
                                    m.dependent_milestone_ids AS dep
                               FROM public.success_milestones m
                               JOIN public.milestone_templates t ON t.id = m.template_id
                              WHERE m.client_id = %s""", (client,))
    by_key = {r["template_key"]: r["id"] for r in rows}
    assert len(rows) == conn.execute("SELECT count(*) FROM public.milestone_templates WHERE is_active").fetchone()[0]
    for r in rows:
        assert r["pre"] == [by_key[k] for k in sorted(r["prerequisite_keys"])], r["template_key"]
        assert sorted(r["dep"]) == sorted(o["id"] for o in rows if r["id"] in o["pre"]), r["template_key"]
