"""The deployment report: what a deploy measured, as Markdown and JSON (disk only).

The report holds only what was measured during the run: the server version, every applied
migration with its checksum and duration (from the ledger), the objects verify checked, the
access-matrix result and any problem. ``--report FILE`` writes ``FILE.md`` and ``FILE.json``; when
FILE already ends in ``.md`` or ``.json`` that file and its sibling with the other extension are
written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthschema.errors import ConfigError


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
    backfills: list[dict[str, Any]] = field(default_factory=list)  # the post-commit back-fill phase
    platform_lock_ms: float | None = None  # writer-blocking hold on platform tables (None: nothing applied)
    platform_locks: list[str] = field(default_factory=list)
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
            "backfills": self.backfills, "platform_lock_ms": self.platform_lock_ms,
            "platform_locks": self.platform_locks, "problems": self.problems, "error": self.error,
        }


def report_paths(report_file: Path) -> tuple[Path, Path]:
    """(markdown, json) paths for ``--report FILE``."""
    if report_file.suffix in (".md", ".json"):
        base = report_file.with_suffix("")
        return base.with_suffix(".md"), base.with_suffix(".json")
    return report_file.with_name(report_file.name + ".md"), report_file.with_name(report_file.name + ".json")


def ensure_writable(report_file: Path) -> None:
    """Check, before a deploy changes anything, that its report can be written: the directory
    exists (or can be made) and both files can be created there.

    :raises ConfigError: it cannot (names the path and why).
    """
    for path in report_paths(report_file):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            existed = path.exists()
            with path.open("a", encoding="utf-8"):
                pass
            if not existed:
                path.unlink()
        except OSError as exc:
            raise ConfigError(f"cannot write the deploy report {path}: {exc.strerror or exc}",
                              hint="choose a writable --report path; nothing was deployed") from exc


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
    if report.platform_lock_ms is not None:
        lines += ["", "## Platform locks and back-fill", "",
                  f"- Platform tables locked against writers: {report.platform_lock_ms:g} ms "
                  f"({', '.join(report.platform_locks) or 'no writer-blocking lock'}), from the first migration "
                  "that took such a lock to the commit"]
        lines += [f"- Back-fill {b['migration']}: {b['batches_done']}/{b['batches_total']} batch(es), "
                  f"{b['keys_done']} key(s), {b['keys_per_s']:g}/s, {'finished' if b['finished'] else 'unfinished'}; "
                  f"platform locks held by its batches: {', '.join(b['platform_locks']) or 'none'}"
                  for b in report.backfills]
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
