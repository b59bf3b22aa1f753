"""The 28 indexes (SPEC §2.3), checked from the catalog rather than from a hard-coded list:
exactly 8 / 11 / 9 besides the primary keys, no duplicate or left-prefix index, every foreign key
covered by a leading index, a comment naming the dashboard question on every index, the naming
rule, and the rules that unique indexes make (one current snapshot, one milestone per template)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.helpers import rolled_back
from tests.schema_rows import TABLES, Conn, new_client, new_org


@pytest.fixture
def conn(shared_conn: Conn) -> Iterator[Conn]:
    """The shared applied database, inside a transaction rolled back after the test."""
    with rolled_back(shared_conn):
        yield shared_conn


OURS = (*TABLES, "milestone_templates")


@dataclass(frozen=True)
class Index:
    table: str
    name: str
    method: str
    keys: tuple[str, ...]  # column or expression, with opclass and ordering, as pg_get_indexdef shows them
    unique: bool
    primary: bool
    predicate: str | None

    def is_left_prefix_of(self, other: Index) -> bool:
        """Redundant: same table, method and predicate, and its keys lead the other's keys.

        A UNIQUE index is a rule, not only an access path, so it is never called redundant
        (an exact duplicate still is).
        """
        same_kind = (self.table, self.method, self.predicate) == (other.table, other.method, other.predicate)
        if not same_kind or self.name == other.name or len(self.keys) > len(other.keys):
            return False
        if other.keys[: len(self.keys)] != self.keys:
            return False
        return self.keys == other.keys or not self.unique


def _indexes(conn: Conn) -> list[Index]:
    rows = conn.execute("""
        SELECT c.relname::text, i.relname::text, am.amname::text, x.indisunique, x.indisprimary,
               pg_get_expr(x.indpred, x.indrelid),
               array(SELECT pg_get_indexdef(x.indexrelid, k, true) || ' ' ||
                            (CASE WHEN x.indoption[k - 1] & 1 = 1 THEN 'DESC' ELSE 'ASC' END) || ' ' ||
                            coalesce(oc.opcname, '')
                       FROM generate_series(1, x.indnkeyatts) AS k
                       LEFT JOIN pg_opclass oc ON oc.oid = x.indclass[k - 1]
                      ORDER BY k)
          FROM pg_index x
          JOIN pg_class i ON i.oid = x.indexrelid
          JOIN pg_class c ON c.oid = x.indrelid
          JOIN pg_am am ON am.oid = i.relam
         WHERE c.oid = ANY(%s::regclass[])""", ([f"public.{t}" for t in OURS],)).fetchall()
    return [Index(t, n, m, tuple(keys), u, p, pred) for t, n, m, u, p, pred, keys in rows]


def test_pg_indexes_shows_9_12_10_rows(conn: Conn) -> None:
    counts = dict(conn.execute("""
        SELECT tablename::text, count(*)::int FROM pg_indexes
         WHERE schemaname = 'public' AND tablename = ANY(%s) GROUP BY tablename""", (list(TABLES),)).fetchall())
    assert counts == {"customer_health": 9, "success_milestones": 12, "support_interactions": 10}


def test_exactly_8_11_9_indexes_besides_the_primary_keys(conn: Conn) -> None:
    indexes = _indexes(conn)
    for table, expected in (("customer_health", 8), ("success_milestones", 11), ("support_interactions", 9)):
        mine = [i for i in indexes if i.table == table]
        assert sum(i.primary for i in mine) == 1
        assert len([i for i in mine if not i.primary]) == expected, [i.name for i in mine]


def test_no_index_is_a_duplicate_or_left_prefix_of_another(conn: Conn) -> None:
    indexes = _indexes(conn)
    redundant = [(a.name, b.name) for a in indexes for b in indexes if a.is_left_prefix_of(b)]
    assert redundant == []


def test_redundancy_rule_detects_prefixes_and_duplicates() -> None:
    """The rule above can fail: a prefix, a duplicate and a same-keys UNIQUE are all caught."""
    a = Index("t", "a", "btree", ("x ASC int4_ops",), False, False, None)
    ab = Index("t", "ab", "btree", ("x ASC int4_ops", "y ASC int4_ops"), False, False, None)
    a_copy = Index("t", "a2", "btree", ("x ASC int4_ops",), True, False, None)
    a_partial = Index("t", "ap", "btree", ("x ASC int4_ops",), False, False, "flag")
    a_desc = Index("t", "ad", "btree", ("x DESC int4_ops",), False, False, None)
    assert a.is_left_prefix_of(ab) and a.is_left_prefix_of(a_copy) and a_copy.is_left_prefix_of(a)
    assert not a_copy.is_left_prefix_of(ab)  # a unique index is a rule
    assert not a_partial.is_left_prefix_of(ab) and not a_desc.is_left_prefix_of(ab)


def test_every_foreign_key_leads_a_full_btree_index(conn: Conn) -> None:
    """ON DELETE CASCADE / SET NULL look rows up by the key: some non-partial btree index must
    start with exactly the foreign key's columns (in any order)."""
    fks = conn.execute("""
        SELECT c.conrelid::regclass::text, c.conname::text,
               array(SELECT a.attname::text FROM unnest(c.conkey) AS k
                       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k)
          FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])""",
        ([f"public.{t}" for t in OURS],)).fetchall()
    leading = conn.execute("""
        SELECT x.indrelid::regclass::text,
               array(SELECT a.attname::text FROM unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY AS k(n, o)
                       JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n ORDER BY k.o)
          FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am am ON am.oid = i.relam
         WHERE x.indrelid = ANY(%s::regclass[]) AND x.indpred IS NULL AND am.amname = 'btree'""",
        ([f"public.{t}" for t in OURS],)).fetchall()
    assert len(fks) == 10
    uncovered = [
        (table, name) for table, name, cols in fks
        if not any(t == table and set(keys[: len(cols)]) == set(cols) for t, keys in leading)
    ]
    assert uncovered == []


def test_every_index_names_the_dashboard_question_it_answers(conn: Conn) -> None:
    for index in _indexes(conn):
        if index.primary:
            continue
        comment = conn.execute("SELECT obj_description(%s::regclass, 'pg_class')",
                               (f"public.{index.name}",)).fetchone()
        assert comment is not None and comment[0], index.name
        assert comment[0].startswith("dashboard: ") and len(comment[0]) > 25, (index.name, comment[0])


def test_index_names_follow_the_naming_rule(conn: Conn) -> None:
    """<table>_<columns>[_<subset>]_idx, or _key for a UNIQUE index."""
    for index in _indexes(conn):
        if index.primary or index.table == "milestone_templates":
            continue
        assert index.name.startswith(f"{index.table}_"), index.name
        assert index.name.endswith("_key" if index.unique else "_idx"), index.name
        if index.predicate is not None:
            assert any(index.name.endswith(f"_{s}_idx") or index.name.endswith(f"_{s}_key")
                       for s in ("current", "open", "completed")), index.name


def test_gin_indexes_serve_the_jsonb_and_array_searches(conn: Conn) -> None:
    gin = {(i.table, i.keys[0].split()[0]) for i in _indexes(conn) if i.method == "gin"}
    assert gin == {
        ("customer_health", "features_used"),
        ("success_milestones", "prerequisite_milestone_ids"),
        ("success_milestones", "trigger_conditions"),
        ("support_interactions", "tags"),
    }


def test_partial_indexes_cover_only_the_subset_the_dashboard_reads(conn: Conn) -> None:
    partial = {i.name: i.predicate for i in _indexes(conn) if i.predicate is not None}
    assert all(p == "is_current" for n, p in partial.items() if n.startswith("customer_health_"))
    assert sum(n.startswith("customer_health_") for n in partial) == 6  # incl. the GIN on current snapshots
    open_interactions = [p for n, p in partial.items() if n.startswith("support_interactions_")]
    assert len(open_interactions) == 4
    assert all("'resolved'" not in p and "'closed'" not in p and "'open'" in p for p in open_interactions)


# --- the rules that unique indexes make ---------------------------------------------------------

def test_at_most_one_current_snapshot_per_client(conn: Conn) -> None:
    org = new_org(conn)
    client = new_client(conn, org)
    with conn.transaction():
        # Triggers off: the rule is the index's, whatever the triggers do.
        conn.execute("SET LOCAL session_replication_role = replica")
        insert = ("INSERT INTO public.customer_health (client_id, organization_id, is_current)"
                  " VALUES (%s, %s, %s)")
        conn.execute(insert, (client, org, True))
        conn.execute(insert, (client, org, False))
        conn.execute(insert, (client, org, False))  # history rows are unlimited
        conn.execute(insert, (new_client(conn, org), org, True))  # another client has its own
        with pytest.raises(psycopg.errors.UniqueViolation) as info, conn.transaction():
            conn.execute(insert, (client, org, True))
        assert info.value.diag.constraint_name == "customer_health_client_id_current_key"
        raise psycopg.Rollback()


def test_one_milestone_per_template_and_client(conn: Conn) -> None:
    org = new_org(conn)
    client = new_client(conn, org)
    template = conn.execute(
        "INSERT INTO public.milestone_templates (template_key, milestone_name, milestone_type, milestone_category)"
        " VALUES ('unique_rule', 'Rule', 'onboarding', 'onboarding') RETURNING id").fetchone()
    assert template is not None
    with conn.transaction():
        conn.execute("SET LOCAL session_replication_role = replica")
        insert = ("INSERT INTO public.success_milestones (client_id, organization_id, milestone_type,"
                  " milestone_category, milestone_name, template_id) VALUES (%s, %s, 'custom', 'planning', 'M', %s)")
        conn.execute(insert, (client, org, None))
        conn.execute(insert, (client, org, None))  # hand-made milestones: no template, no limit
        conn.execute(insert, (client, org, template[0]))
        with pytest.raises(psycopg.errors.UniqueViolation) as info, conn.transaction():
            conn.execute(insert, (client, org, template[0]))
        assert info.value.diag.constraint_name == "success_milestones_template_id_client_id_key"
        raise psycopg.Rollback()


@pytest.mark.parametrize(("sql", "index"), [
    ("SELECT id FROM public.support_interactions WHERE status IN ('open', 'in_progress', 'pending_customer',"
     " 'escalated') AND sla_resolution_due_at < now() ORDER BY sla_resolution_due_at",
     "support_interactions_sla_resolution_due_at_open_idx"),
    ("SELECT id FROM public.support_interactions WHERE tags @> ARRAY['billing']", "support_interactions_tags_idx"),
    ("SELECT id FROM public.success_milestones WHERE trigger_conditions @> '{\"event\": \"form\"}'",
     "success_milestones_trigger_conditions_idx"),
])
def test_planner_can_use_the_index_for_its_question(conn: Conn, sql: str, index: str) -> None:
    """A smoke test of three questions (the dashboard catalog proves every index on real data)."""
    with conn.transaction():
        conn.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + sql).fetchall())
        assert index in plan, plan
        raise psycopg.Rollback()


def test_docs_list_every_index_with_its_question(conn: Conn) -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "schema.md").read_text()
    for index in _indexes(conn):
        if not index.primary:
            assert f"`{index.name}`" in docs, index.name
