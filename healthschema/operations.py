"""Deploy: preflight → apply → verify → policy-check, stopping at the first failure, with a report.

The report (Markdown and JSON) holds only what was measured during the run: the server version,
every applied migration with its checksum and duration (from the ledger), the objects verify
checked, the access-matrix result and any problem. ``--report FILE`` writes ``FILE.md`` and
``FILE.json``; when FILE already ends in ``.md`` or ``.json`` that file and its sibling with the
other extension are written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from healthschema.checks import policy_check, preflight, verify
from healthschema.engine import runner
from healthschema.errors import HealthschemaError
from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.schema import describe as catalog


@dataclass
class Stage:
    name: str
    status: str  # ok, failed (problems found), error (could not run), skipped
    summary: str = ""
    duration_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "summary": self.summary, "duration_ms": self.duration_ms}


@dataclass
class DeployReport:
    database: str
    started_at: str
    server_version: str = ""
    stages: list[Stage] = field(default_factory=list)
    migrations: list[dict[str, Any]] = field(default_factory=list)
    verified: dict[str, Any] = field(default_factory=dict)
    access_matrix: dict[str, Any] | None = None
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    report_paths: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "database": self.database, "started_at": self.started_at,
            "server_version": self.server_version, "stages": [s.to_dict() for s in self.stages],
            "migrations": self.migrations, "verified": self.verified, "access_matrix": self.access_matrix,
            "problems": self.problems, "error": self.error,
        }


def report_paths(report_file: Path) -> tuple[Path, Path]:
    """(markdown, json) paths for ``--report FILE``."""
    if report_file.suffix in (".md", ".json"):
        base = report_file.with_suffix("")
        return base.with_suffix(".md"), base.with_suffix(".json")
    return report_file.with_name(report_file.name + ".md"), report_file.with_name(report_file.name + ".json")


def _run(report: DeployReport, name: str, action: Any) -> Any:
    started = time.perf_counter()
    stage = Stage(name, "ok")
    report.stages.append(stage)
    try:
        return action(stage)
    except HealthschemaError as exc:
        stage.status, report.error = "error", f"{name}: {exc.message}"
        return None
    finally:
        stage.duration_ms = round((time.perf_counter() - started) * 1000)


def _preflight(project: Project, url: str, stub: bool, report: DeployReport) -> Any:
    def action(stage: Stage) -> bool:
        result = preflight.preflight(project, url, stub)
        report.server_version = result.server_version
        stage.summary = f"PostgreSQL {result.server_version}; {len(result.problems)} problem(s)"
        if not result.ok:
            stage.status = "failed"
            report.problems += result.problems
        return result.ok
    return _run(report, "preflight", action)


def _apply(project: Project, url: str, stub: bool, report: DeployReport) -> Any:
    def action(stage: Stage) -> bool:
        result = runner.apply(project, url, with_platform_stub=stub)
        this_run = {step.migration.id for step in result.steps}
        with db.connection(url) as conn:
            ledger = runner.read_ledger(conn, project.meta_schema)
        report.migrations = [
            {"id": row.migration_id, "set": row.migration_set, "checksum": row.checksum,
             "duration_ms": row.duration_ms, "applied_at": row.applied_at.isoformat(),
             "applied_in_this_run": row.migration_id in this_run}
            for row in ledger
        ]
        stage.summary = f"{len(result.steps)} migration(s) applied, {len(ledger)} in the ledger"
        return True
    return _run(report, "apply", action)


def _index_counts(expected: catalog.Catalog) -> dict[str, dict[str, int]]:
    primary = {(e.parent, c.split(".")[-1]) for c, e in expected.items()
               if e.kind == "constraint" and e.attrs.get("type") == "primary key"}
    counts: dict[str, dict[str, int]] = {}
    for entry in expected.values():
        if entry.kind == "index" and entry.parent is not None:
            table = counts.setdefault(entry.parent.removeprefix("relation "), {"indexes": 0, "primary_key": 0})
            is_pk = (entry.parent, entry.attrs.get("constraint")) in primary
            table["primary_key" if is_pk else "indexes"] += 1
    return dict(sorted(counts.items()))


def _verify(project: Project, url: str, report: DeployReport) -> Any:
    def action(stage: Stage) -> bool:
        result = verify.verify(project, url)
        counts = result.counts()
        index_counts = _index_counts(result.expected)
        tables = [k for k, e in result.expected.items() if e.kind == "relation" and e.attrs.get("relkind") == "table"]
        report.verified = {
            "tables": len(tables), "indexes": sum(c["indexes"] for c in index_counts.values()),
            "indexes_by_table": index_counts, "policies": counts["policy"], "triggers": counts["trigger"],
            "functions": counts["function"], "columns": counts["column"], "constraints": counts["constraint"],
            "grants": counts["grant"], "pending": result.pending, "drift": len(result.problems()),
        }
        stage.summary = (f"{len(tables)} tables, {report.verified['indexes']} indexes (besides primary keys), "
                         f"{counts['policy']} policies, {counts['trigger']} triggers, {counts['function']} functions; "
                         f"{len(result.problems())} difference(s)")
        if not result.ok:
            stage.status = "failed"
            report.problems += result.problems()
        return result.ok
    return _run(report, "verify", action)


def _policy_check(project: Project, url: str, report: DeployReport) -> Any:
    def action(stage: Stage) -> bool:
        result = policy_check.check_policies(url, schema=project.app_schema, private_schema=project.private_schema)
        report.access_matrix = result.to_dict()
        stage.summary = "access matrix as specified" if result.ok else "access matrix differs from SPEC §2.5"
        if not result.ok:
            stage.status = "failed"
            report.problems.append("policy-check: the access matrix differs from the specification")
        return bool(result.ok)
    return _run(report, "policy-check", action)


def deploy(
    project: Project, url: str, report_file: Path | None = None, *, with_platform_stub: bool = False
) -> DeployReport:
    """Run the stages in order, stop at the first one that fails, and write the report.

    Never raises for a failed stage: the failure is in the returned report (``error`` when a stage
    could not run, ``problems`` when it found some).
    """
    report = DeployReport(database=db.mask_url(url), started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    steps: list[Callable[[], Any]] = [
        lambda: _preflight(project, url, with_platform_stub, report),
        lambda: _apply(project, url, with_platform_stub, report),
        lambda: _verify(project, url, report),
        lambda: _policy_check(project, url, report),
    ]
    for step in steps:
        if not step():
            break
    if report_file is not None:
        write_report(report, report_file)
    return report


def write_report(report: DeployReport, report_file: Path) -> None:
    md_path, json_path = report_paths(report_file)
    md_path.parent.mkdir(parents=True, exist_ok=True)
    report.report_paths = [md_path, json_path]
    json_path.write_text(json.dumps(report.to_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    md_path.write_text(to_markdown(report), encoding="utf-8")


def _matrix_lines(matrix: dict[str, Any]) -> list[str]:
    cells = matrix.get("cells")
    if not isinstance(cells, list):
        return ["```json", json.dumps(matrix, indent=1, sort_keys=True, ensure_ascii=False), "```"]
    failed = [c for c in cells if isinstance(c, dict) and not c.get("ok")]
    lines = [f"- Cells checked: {len(cells)}; as specified: {len(cells) - len(failed)}; differing: {len(failed)}"]
    lines += [f"  - {c.get('persona')} {c.get('command')} {c.get('table')} ({c.get('target')}): "
              f"expected {c.get('expected')}, got {c.get('actual')} {c.get('detail') or ''}".rstrip() for c in failed]
    return lines


def to_markdown(report: DeployReport) -> str:
    lines = [
        "# healthschema deployment report", "",
        f"- Result: **{'OK' if report.ok else 'FAILED'}**",
        f"- Database: `{report.database}`",
        f"- Server: PostgreSQL {report.server_version or 'unknown'}",
        f"- Started: {report.started_at}", "",
        "## Stages", "", "| stage | status | duration (ms) | summary |", "|---|---|---|---|",
    ]
    lines += [f"| {s.name} | {s.status} | {s.duration_ms} | {s.summary} |" for s in report.stages]
    lines += ["", "## Migrations", "", "| migration | set | checksum (sha256) | duration (ms) | this run |",
              "|---|---|---|---|---|"]
    lines += [f"| {m['id']} | {m['set']} | `{m['checksum']}` | {m['duration_ms']} | "
              f"{'yes' if m['applied_in_this_run'] else 'no'} |" for m in report.migrations]
    if report.verified:
        v = report.verified
        lines += ["", "## Objects verified", "",
                  f"- Tables: {v['tables']}; columns: {v['columns']}; constraints: {v['constraints']}",
                  f"- Indexes (besides primary keys): {v['indexes']}",
                  *[f"  - `{t}`: {c['indexes']} (+ {c['primary_key']} primary key)"
                    for t, c in v["indexes_by_table"].items()],
                  f"- Policies: {v['policies']}; triggers: {v['triggers']}; functions: {v['functions']}; "
                  f"grants: {v['grants']}",
                  f"- Differences from the expected snapshot: {v['drift']}"]
    if report.access_matrix is not None:
        lines += ["", "## Access matrix", "", *_matrix_lines(report.access_matrix)]
    lines += ["", "## Problems", ""]
    lines += [f"- {p}" for p in report.problems] or ["- none"]
    if report.error:
        lines.append(f"- error: {report.error}")
    return "\n".join(lines) + "\n"
