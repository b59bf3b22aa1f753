"""Index proof on a seeded, ANALYZEd database (SPEC §2.3, issue 12): every dashboard-catalog query
uses its documented index as service_role and as its persona; every one of the 28 indexes serves
some catalog query; RLS-only variants and search functions return exactly the rows of their
service_role baselines. Also the seed's shape and the dashboard views' RLS.

(No duplicate or left-prefix index and every foreign key covered: tests/test_schema_indexes.py.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql as pgsql

from healthschema.files.project import Project
from healthschema.pg import disposable
from healthschema.workload import catalog, seed

SCALE = 50_000  # CI-sized: big enough that the planner prefers the dashboard's indexes
APP, PRIVATE = "public", "healthschema_private"
QUERIES = catalog.load()
BY_NAME = {q.name: q for q in QUERIES}
TABLES = ("customer_health", "success_milestones", "support_interactions")
Conn = psycopg.Connection[tuple[Any, ...]]


@pytest.fixture(scope="module")
def seeded(pg: disposable.DisposableServer, servers: Any, project: Project) -> Iterator[str]:
    name = f"seeded_{os.getpid()}_{servers.kind(pg)}"
    with disposable.scratch_database(pg.url, name, template=servers.applied_template(pg, project)) as url:
        with psycopg.connect(url, autocommit=True) as conn:
            # Statistics from every row, not a random sample (default 100 → 30,000 rows of a table):
            # the plans, and so these tests, are the same on every run, auto-analyze included.
            conn.execute(pgsql.SQL("ALTER DATABASE {} SET default_statistics_target = 1000").format(
                pgsql.Identifier(name)))
        seed.seed(url, SCALE, app=APP, private=PRIVATE)
        yield url


@pytest.fixture(scope="module")
def sconn(seeded: str) -> Iterator[Conn]:
    with psycopg.connect(seeded, autocommit=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def params(sconn: Conn) -> catalog.Parameters:
    return catalog.parameters(sconn, APP)


@pytest.fixture(scope="module")
def plans(sconn: Conn, params: catalog.Parameters) -> dict[tuple[str, str], set[str]]:
    """(query, persona or service_role) → indexes of its plan (service_role runs the baseline)."""
    found = {}
    for q in QUERIES:
        found[(q.name, q.persona)] = catalog.explain_indexes(sconn, q, params, q.persona, app=APP, private=PRIVATE)
        found[(q.name, "service_role")] = catalog.explain_indexes(
            sconn, BY_NAME[q.baseline], params, "service_role", app=APP, private=PRIVATE)
    return found


def _indexes(conn: Conn) -> set[str]:
    rows = conn.execute("""
        SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
         WHERE x.indrelid = ANY (%s::regclass[]) AND NOT x.indisprimary""", ([f"{APP}.{t}" for t in TABLES],))
    return {r[0] for r in rows}


def _rows(conn: Conn, query: catalog.Query, params: catalog.Parameters, persona: str) -> list[tuple[Any, ...]]:
    with catalog.as_persona(conn, persona, params):
        return sorted(conn.execute(catalog.statement(query, params, app=APP, private=PRIVATE)).fetchall(), key=repr)


@pytest.mark.parametrize("who", ["persona", "service_role"])
@pytest.mark.parametrize("name", [q.name for q in QUERIES])
def test_catalog_query_uses_its_documented_index(
    plans: dict[tuple[str, str], set[str]], name: str, who: str,
) -> None:
    query = BY_NAME[name]
    persona = query.persona if who == "persona" else "service_role"
    wanted = query.indexes_for(persona)
    used = plans[(name, persona)]
    assert set(wanted) & used, f"{name} as {persona}: plan uses {used}, not {wanted}"


def test_every_one_of_the_28_indexes_serves_a_catalog_query(
    sconn: Conn, plans: dict[tuple[str, str], set[str]],
) -> None:
    ours = _indexes(sconn)
    assert len(ours) == 28
    documented = {i for q in QUERIES for p in (q.persona, "service_role") for i in q.indexes_for(p)}
    assert documented <= ours, documented - ours  # the catalog names only real indexes
    used = set().union(*plans.values())
    assert ours - used == set(), "indexes no catalog query uses"
    assert ours - {q.indexes_for("service_role")[0] for q in QUERIES} == set(), "indexes the catalog does not name"


@pytest.mark.parametrize("name", [q.name for q in QUERIES if q.baseline != q.name])
def test_persona_gets_exactly_the_rows_of_its_service_role_baseline(
    sconn: Conn, params: catalog.Parameters, name: str,
) -> None:
    """RLS-only variants and search functions: same rows as the explicit query as service_role."""
    query = BY_NAME[name]
    mine = _rows(sconn, query, params, query.persona)
    assert mine, f"{name}: the seeded data should give this query rows"
    assert mine == _rows(sconn, BY_NAME[query.baseline], params, "service_role")


@pytest.mark.parametrize("name", ["milestones_requiring", "interactions_tagged", "automation_trigger_search",
                                  "feature_adoption_search", "org_summary_rls", "org_health_trend_rls",
                                  "platform_overdue_milestones", "milestone_funnel", "team_open_workload"])
def test_outsiders_get_nothing_and_anon_is_denied(sconn: Conn, params: catalog.Parameters, name: str) -> None:
    query = BY_NAME[name]
    assert _rows(sconn, query, params, "nobody") == []
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _rows(sconn, query, params, "anon")


def test_search_functions_apply_the_select_policy_rule(sconn: Conn, params: catalog.Parameters) -> None:
    """An admin of org A finds org-A milestones through the search; another org's admin does not."""
    query = BY_NAME["milestones_requiring"]
    assert _rows(sconn, query, params, "admin_a")
    other = sconn.execute("""
        SELECT up.user_id FROM public.user_profiles AS up
         WHERE up.role = 'ADMIN' AND up.organization_id <> %s LIMIT 1""", (params.org,)).fetchone()
    assert other is not None
    outsider = catalog.Parameters(**{**params.__dict__, "admin": str(other[0])})
    assert _rows(sconn, query, outsider, "admin_a") == []


# The platform-wide functions (overdue list, funnel, team workload) as an organization persona: the
# SELECT policy's rule applied explicitly, i.e. exactly what the same question gives through RLS.
PLATFORM_WIDE = {
    "platform_overdue_milestones": ("member_a", """
        SELECT id, organization_id, client_id, milestone_type, target_completion_date
          FROM public.success_milestones
         WHERE status IN ('pending', 'in_progress') AND target_completion_date < current_date
         ORDER BY target_completion_date, id LIMIT 50"""),
    "milestone_funnel": ("member_a", """
        SELECT status, count(*) FROM public.success_milestones
         WHERE milestone_type = 'vendor_booking' GROUP BY status"""),
    "team_open_workload": ("assignee_a", """
        SELECT priority, count(*) FROM public.support_interactions
         WHERE assigned_team = 'support' AND status IN ('open', 'in_progress', 'pending_customer', 'escalated')
         GROUP BY priority"""),
}


@pytest.mark.parametrize("name", sorted(PLATFORM_WIDE))
def test_platform_wide_functions_apply_the_select_policy_for_everyone_else(
    sconn: Conn, params: catalog.Parameters, name: str,
) -> None:
    persona, through_rls = PLATFORM_WIDE[name]
    query = BY_NAME[name]
    mine = _rows(sconn, query, params, persona)
    assert mine, f"{name}: the seeded data should give {persona} rows"
    with catalog.as_persona(sconn, persona, params):
        expected = sorted(sconn.execute(through_rls).fetchall(), key=repr)
    if name == "platform_overdue_milestones":  # ties on the date: compare the dates, and the rows' organizations
        assert sorted(r[4] for r in mine) == sorted(r[4] for r in expected)
        assert {str(r[1]) for r in mine} == {params.org}
    else:
        assert mine == expected
    assert mine != _rows(sconn, query, params, "cs_agent")  # staff see every organization


def test_views_are_security_invoker_and_scoped_by_rls(sconn: Conn, params: catalog.Parameters) -> None:
    options = dict(sconn.execute("""
        SELECT c.relname::text, c.reloptions::text FROM pg_class c
         WHERE c.relname IN ('customer_health_current', 'organization_health_summary')""").fetchall())
    assert options == {"customer_health_current": "{security_invoker=true}",
                       "organization_health_summary": "{security_invoker=true}"}
    summary = BY_NAME["org_summary_rls"]
    rows = _rows(sconn, summary, params, "admin_a")
    assert [str(r[0]) for r in rows] == [params.org]
    assert len(_rows(sconn, summary, params, "cs_agent")) == sconn.execute(
        "SELECT count(DISTINCT organization_id) FROM public.customer_health").fetchone()[0]  # type: ignore[index]


# --- the seed's shape ---------------------------------------------------------------------------

def test_seed_proportions_and_one_current_snapshot_per_client(sconn: Conn) -> None:
    counts = sconn.execute("""
        SELECT (SELECT count(*) FROM public.customer_health), (SELECT count(*) FROM public.clients),
               (SELECT count(*) FROM public.organizations), (SELECT count(*) FROM public.success_milestones),
               (SELECT count(*) FROM public.support_interactions), (SELECT count(*) FROM public.activity_logs),
               (SELECT count(*) FROM public.customer_health WHERE is_current)""").fetchone()
    assert counts is not None
    health, clients, orgs, milestones, interactions, activity, current = counts
    assert (health, clients, orgs, milestones) == (SCALE, SCALE // 50, SCALE // 50 // 40, 10 * clients)
    assert 2 * clients <= interactions <= 4 * clients and 15 * clients <= activity <= 30 * clients
    assert current == clients
    newest_not_current = sconn.execute("""
        SELECT count(*) FROM public.customer_health h
         WHERE h.is_current AND EXISTS (SELECT FROM public.customer_health n
                                         WHERE n.client_id = h.client_id AND n.calculated_at > h.calculated_at)
    """).fetchone()
    assert newest_not_current == (0,)


def test_seed_scores_agree_with_the_schema_functions(sconn: Conn) -> None:
    wrong = sconn.execute("""
        SELECT count(*) FROM public.customer_health h
         WHERE h.overall_health_score <> healthschema_private.health_overall_score(
                   h.engagement_score, h.progress_score, h.satisfaction_score, h.churn_risk_score)
            OR h.health_status <> healthschema_private.health_status_for(h.overall_health_score)""").fetchone()
    assert wrong == (0,)


def test_seed_is_realistic_skewed_mixed_overdue_and_breached(sconn: Conn) -> None:
    row = sconn.execute("""
        SELECT (SELECT count(DISTINCT health_status) FROM public.customer_health WHERE is_current),
               (SELECT max(n)::float / percentile_cont(0.5) WITHIN GROUP (ORDER BY n)
                  FROM (SELECT count(*) AS n FROM public.clients GROUP BY organization_id) s),
               (SELECT count(DISTINCT status) FROM public.success_milestones),
               (SELECT count(*) FROM public.success_milestones
                 WHERE status IN ('pending', 'in_progress') AND target_completion_date < current_date),
               (SELECT count(*) FROM public.support_interactions
                 WHERE first_response_at IS NULL AND status IN ('open', 'in_progress', 'pending_customer', 'escalated')
                   AND sla_response_due_at < now()),
               (SELECT count(DISTINCT status) FROM public.support_interactions),
               (SELECT count(*) FROM public.success_milestones m
                 WHERE EXISTS (SELECT FROM unnest(m.prerequisite_milestone_ids) p(id)
                                JOIN public.success_milestones x ON x.id = p.id WHERE x.client_id <> m.client_id))
    """).fetchone()
    assert row is not None
    statuses, skew, milestone_statuses, overdue, breached, interaction_statuses, foreign_prereqs = row
    assert statuses == 4 and skew > 3 and milestone_statuses == 4 and interaction_statuses == 6
    assert overdue > 0 and breached > 0 and foreign_prereqs == 0
