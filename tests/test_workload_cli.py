"""``seed``, ``refresh`` and ``bench`` through the CLI, on real servers: results, failure paths
(exit 2, one clear line, nothing changed) and the bench's JSON keys and chart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from healthschema.pg import disposable
from tests.helpers import cli, query, scalar

COUNTS = """SELECT (SELECT count(*) FROM public.customer_health), (SELECT count(*) FROM public.clients),
                   (SELECT count(*) FROM public.success_milestones)"""


def _error_line(result: object) -> str:
    lines = [line for line in getattr(result, "stderr", "").splitlines() if line.startswith("error:")]
    assert len(lines) == 1, getattr(result, "stderr", "")
    return lines[0]


def test_seed_loads_the_scale_and_refuses_to_seed_twice(applied_db: str) -> None:
    result = cli("seed", "--scale", "1000", "--database-url", applied_db)
    assert result.exit_code == 0, result.output
    assert "customer_health" in result.stdout and "1,000" in result.stdout
    before = query(applied_db, COUNTS)
    assert before == [(1000, 20, 200)]
    again = cli("seed", "--scale", "1000", "--database-url", applied_db)
    assert again.exit_code == 2
    assert "already holds customer_health rows" in _error_line(again)
    assert query(applied_db, COUNTS) == before
    skipped = cli("seed", "--scale", "1000", "--if-empty", "--database-url", applied_db)
    assert skipped.exit_code == 0 and "nothing seeded" in skipped.stdout
    assert query(applied_db, COUNTS) == before


@pytest.mark.parametrize("scale", ["0", "-5", "100000001"])
def test_seed_rejects_a_bad_scale_before_connecting(scale: str) -> None:
    result = cli("seed", "--scale", scale, "--database-url", "postgresql://nobody@/none?host=/nonexistent")
    assert result.exit_code == 2
    assert "--scale must be between 1 and 100,000,000" in _error_line(result)


def test_refresh_writes_one_snapshot_per_client_and_summarises(applied_db: str) -> None:
    assert cli("seed", "--scale", "1000", "--database-url", applied_db).exit_code == 0
    result = cli("refresh", "--database-url", applied_db)
    assert result.exit_code == 0, result.output
    assert "20 snapshots written" in result.stdout and "clients most at risk" in result.stdout
    assert query(applied_db, COUNTS)[0][0] == 1020
    assert scalar(applied_db, "SELECT count(*) FROM public.customer_health WHERE is_current") == 20
    org = scalar(applied_db, "SELECT organization_id FROM public.clients GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
    clients = scalar(applied_db, "SELECT count(*) FROM public.clients WHERE organization_id = %s", (org,))
    one = cli("refresh", "--organization", str(org), "--format", "json", "--database-url", applied_db)
    assert one.exit_code == 0, one.output
    report = json.loads(one.stdout)
    assert report["snapshots"] == clients and report["organization"] == str(org)
    assert sum(s["clients"] for s in report["statuses"]) == clients


@pytest.mark.parametrize(("organization", "message"), [
    ("not-a-uuid", "--organization must be an organization id"),
    ("00000000-0000-0000-0000-000000000000", "no organization with id 00000000-0000-0000-0000-000000000000"),
])
def test_refresh_of_an_unknown_organization_fails_and_writes_nothing(
    applied_db: str, organization: str, message: str,
) -> None:
    assert cli("seed", "--scale", "50", "--database-url", applied_db).exit_code == 0
    before = query(applied_db, COUNTS)
    result = cli("refresh", "--organization", organization, "--database-url", applied_db)
    assert result.exit_code == 2
    assert message in _error_line(result)
    assert query(applied_db, COUNTS) == before


def test_bench_prints_every_key_and_a_chart_and_leaves_no_database(
    pg: disposable.DisposableServer, tmp_path: Path,
) -> None:
    chart = tmp_path / "p95.png"
    databases = set(r[0] for r in query(pg.url, "SELECT datname FROM pg_database"))
    result = cli("bench", "--scale", "1000", "--compare-scale", "0", "--iterations", "3", "--format", "json",
                 "--chart", str(chart), "--database-url", pg.url)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert list(report) == ["scale", "server_version", "queries", "rls_ratio_max", "trigger_overhead_ratio",
                            "extra_row_versions_per_snapshot", "refresh_clients_per_s", "seed_seconds",
                            "writer_stall_ms_max", "backfill_clients_per_s", "platform_lock_ms_max"]
    assert report["backfill_clients_per_s"] > 0 and report["platform_lock_ms_max"] > 0
    assert report["scale"] == 1000 and report["server_version"].split(".")[0] == str(pg.major)
    assert len(report["queries"]) >= 30
    for q in report["queries"]:
        assert list(q) == ["name", "persona", "p50_ms", "p95_ms", "index", "rows", "rls_ratio"]
        assert 0 < q["p50_ms"] <= q["p95_ms"] and q["rls_ratio"] > 0
    assert report["rls_ratio_max"] == max(q["rls_ratio"] for q in report["queries"])
    assert report["refresh_clients_per_s"] > 0 and report["seed_seconds"] > 0
    assert report["trigger_overhead_ratio"] > 0 and report["extra_row_versions_per_snapshot"] >= 0
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert set(r[0] for r in query(pg.url, "SELECT datname FROM pg_database")) == databases


def test_chart_shows_two_scales(tmp_path: Path) -> None:
    from healthschema.workload import bench, chart

    def run(p95: float) -> list[bench.QueryResult]:
        return [bench.QueryResult(n, "admin_a", p95 / 2, p95, "i", 1, 1.2, p95, p95 * 1.1, "i") for n in ("a", "b")]

    png = chart.p95_chart({1000: run(1.0), 10000: run(4.0)}, tmp_path / "c.png")
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 5000
