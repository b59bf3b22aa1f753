"""deploy: preflight → apply → verify → policy-check, and the Markdown + JSON report."""

from __future__ import annotations

import json
from pathlib import Path

from healthschema import operations as deploy
from healthschema.files.migration_files import read_all
from healthschema.files.project import Project
from tests.helpers import cli, query, user_objects


def test_deploy_writes_both_reports_for_the_demo_database(
    project: Project, empty_db: str, tmp_path: Path
) -> None:
    result = cli("deploy", "--with-platform-stub", "--report", str(tmp_path / "deploy"),
                 "--database-url", empty_db)
    assert result.exit_code == 0, result.output
    md, js = tmp_path / "deploy.md", tmp_path / "deploy.json"
    assert f"wrote {md}" in result.stdout and f"wrote {js}" in result.stdout
    report = json.loads(js.read_text())
    assert report["ok"] is True and report["problems"] == [] and report["error"] is None
    assert [s["name"] for s in report["stages"]] == ["preflight", "apply", "verify", "policy-check"]
    assert report["server_version"].split(".")[0] in ("15", "16", "17", "18")
    files = read_all(project)
    assert [m["id"] for m in report["migrations"]] == [f.id for f in files]
    assert [m["checksum"] for m in report["migrations"]] == [f.checksum for f in files]
    assert all(m["applied_in_this_run"] and m["duration_ms"] >= 0 for m in report["migrations"])
    verified = report["verified"]
    assert verified["drift"] == 0 and verified["tables"] >= 3 and verified["policies"] > 0
    for table, count in (("customer_health", 8), ("success_milestones", 11), ("support_interactions", 9)):
        assert verified["indexes_by_table"][f"public.{table}"] == {"indexes": count, "primary_key": 1}
    text = md.read_text()
    assert "- Result: **OK**" in text and f"PostgreSQL {report['server_version']}" in text
    assert f"`{files[-1].checksum}`" in text and "| verify | ok |" in text
    assert "`public.customer_health`: 8 (+ 1 primary key)" in text


def test_deploy_stops_at_the_first_failure_and_reports_it(
    project: Project, empty_db: str, tmp_path: Path
) -> None:
    deploy_args = ("deploy", "--with-platform-stub", "--database-url", empty_db)
    assert cli(*deploy_args).exit_code == 0
    query(empty_db, "ALTER TABLE public.customer_health NO FORCE ROW LEVEL SECURITY")
    result = cli(*deploy_args, "--report", str(tmp_path / "again.json"))
    assert result.exit_code == 1
    assert "problem: changed relation public.customer_health: rls_forced: expected True, found False" \
        in result.stdout
    report = json.loads((tmp_path / "again.json").read_text())
    assert [(s["name"], s["status"]) for s in report["stages"]] == [
        ("preflight", "ok"), ("apply", "ok"), ("verify", "failed")]
    assert "- Result: **FAILED**" in (tmp_path / "again.md").read_text()


def test_deploy_preflight_failure_applies_nothing(project: Project, empty_db: str, tmp_path: Path) -> None:
    before = user_objects(empty_db)
    report = deploy.deploy(project, empty_db, tmp_path / "r.md")
    assert not report.ok and report.error is None
    assert [(s.name, s.status) for s in report.stages] == [("preflight", "failed")]
    assert any("function auth.uid() is missing" in p for p in report.problems)
    assert user_objects(empty_db) == before
    assert json.loads((tmp_path / "r.json").read_text())["ok"] is False


def test_deploy_unreachable_database_is_an_error(project: Project, tmp_path: Path) -> None:
    result = cli("deploy", "--report", str(tmp_path / "x"), "--database-url",
                 "postgresql://u:hunter2@127.0.0.1:1/db")
    assert result.exit_code == 2
    assert "hunter2" not in result.output and "cannot connect" in result.stderr
    assert json.loads((tmp_path / "x.json").read_text())["error"].startswith("preflight: cannot connect")


def test_deploy_preflight_runs_under_the_migration_lock(project: Project, empty_db: str) -> None:
    """Issue 8: deploy's preflight ran outside the lock (apply's ran inside it). Now it waits for the
    lock like apply: while another run holds it, deploy stops in preflight and changes nothing."""
    from dataclasses import replace

    from healthschema.pg import ledger

    before = user_objects(empty_db)
    impatient = replace(project, lock_timeout_seconds=0.3)
    with ledger.migration_lock(empty_db, project.meta_schema, 1):
        report = deploy.deploy(impatient, empty_db, with_platform_stub=True)
    assert [(s.name, s.status) for s in report.stages] == [("preflight", "error")]
    assert report.error is not None and report.error.startswith("preflight: ")
    assert "holds the migration lock" in report.error
    assert user_objects(empty_db) == before
