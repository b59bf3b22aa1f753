"""The dashboard query catalog's files (no database): headers parsed and validated."""

from __future__ import annotations

import pytest

from healthschema.errors import ConfigError
from healthschema.workload import catalog, sqlfiles

GOOD = """-- name: q
-- question: What?
-- persona: admin_a
-- index: customer_health_org_id_calculated_at_idx
-- scope: rls
SELECT 1 FROM {app}.customer_health
"""


def test_a_file_is_parsed_into_its_header_and_sql() -> None:
    q = catalog.parse("q.sql", GOOD)
    assert (q.name, q.persona, q.scope, q.baseline) == ("q", "admin_a", "rls", "q")
    assert q.index_for("admin_a") == q.index_for("service_role") == "customer_health_org_id_calculated_at_idx"
    assert q.text == "SELECT 1 FROM {app}.customer_health"


@pytest.mark.parametrize(("change", "message"), [
    (("-- persona: admin_a\n", ""), "header lacks persona"),
    (("admin_a", "root"), "unknown persona 'root'"),
    (("scope: rls", "scope: sometimes"), "scope must be explicit or rls"),
    (("-- scope: rls", "-- persona_index: x\n-- scope: rls"), "persona_index needs a why"),
])
def test_bad_headers_are_refused_with_one_clear_message(change: tuple[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        catalog.parse("q.sql", GOOD.replace(*change))
    assert message in info.value.message


def test_the_packaged_catalog_loads_with_unique_names_and_known_baselines() -> None:
    queries = catalog.load()
    names = [q.name for q in queries]
    assert len(names) == len(set(names)) == len(sqlfiles.names("queries")) >= 30
    assert {q.scope for q in queries} == {"explicit", "rls"}
    by_name = {q.name: q for q in queries}
    for q in queries:
        assert q.baseline in by_name
        assert "public." not in q.text, f"{q.name}: schemas come from {{app}}/{{private}}"
        if q.scope == "rls":
            assert "{org}" not in q.text and "{org}" in by_name[q.baseline].text, q.name


def test_the_catalog_covers_the_dashboard_questions_of_issue_12() -> None:
    names = {q.name for q in catalog.load()}
    for wanted in ("platform_overview", "org_summary", "org_at_risk_clients", "platform_churn_risk",
                   "client_health_trend", "org_health_trend", "org_inactive_clients", "org_overdue_milestones",
                   "critical_path_next_weddings", "my_open_milestones", "my_open_interactions",
                   "org_open_critical_queue", "sla_response_breaches", "client_interaction_timeline",
                   "interactions_tagged", "automation_trigger_search", "milestones_requiring"):
        assert wanted in names


def test_plan_walker_finds_every_index_node() -> None:
    plan = [{"Plan": {"Node Type": "BitmapOr", "Plans": [
        {"Node Type": "Bitmap Index Scan", "Index Name": "a"},
        {"Node Type": "Index Only Scan", "Index Name": "b", "Plans": [{"Index Name": "c"}]}]}}]
    assert catalog.indexes_in_plan(plan) == {"a", "b", "c"}
    assert catalog.indexes_in_plan([{"Plan": {"Node Type": "Seq Scan"}}]) == set()


def test_personas_are_those_of_the_access_matrix() -> None:
    from healthschema.checks import access_matrix

    matrix = {p.name: catalog.Persona(p.db_role, p.platform_role) for p in access_matrix.PERSONAS}
    assert matrix == catalog.PERSONAS


def test_performance_doc_holds_the_1m_measurement_of_this_catalog() -> None:
    """docs/performance.md's table comes from docs/bench-1m.json (the 1M run), for every catalog query."""
    import json
    from pathlib import Path

    docs = Path(__file__).resolve().parents[1] / "docs"
    measured = json.loads((docs / "bench-1m.json").read_text(encoding="utf-8"))
    assert measured["scale"] == 1_000_000
    assert [q["name"] for q in measured["queries"]] == [q.name for q in catalog.load()]
    text = (docs / "performance.md").read_text(encoding="utf-8")
    assert "healthschema bench --scale 1000000 --format json" in text
    for q in measured["queries"]:
        assert f"| `{q['name']}` | {q['persona']} | {q['p50_ms']:.2f} | {q['p95_ms']:.2f} |" in text, q["name"]
    assert (docs / "bench-p95.png").read_bytes()[:4] == b"\x89PNG"
