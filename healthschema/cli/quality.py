"""``lint``: migration safety (squawk) and the security / index rules on a disposable database."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from healthschema.checks import lint as lint_lib
from healthschema.checks.lint_findings import LintReport
from healthschema.checks.lint_sarif import to_sarif
from healthschema.cli.common import state


class LintFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


def lint_text(report: LintReport) -> str:
    lines = [str(finding) for finding in report.findings]
    errors, warnings = len(report.errors), len(report.findings) - len(report.errors)
    lines.append(
        f"{'ok' if report.ok else 'problems'}: {errors} error(s), {warnings} warning(s) in "
        f"{len(report.migrations)} migration(s) (squawk {report.squawk_version}; database rules on "
        f"a disposable PostgreSQL {report.server_version})"
    )
    return "\n".join(lines)


def render_lint(report: LintReport, fmt: LintFormat) -> str:
    if fmt is LintFormat.json:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    if fmt is LintFormat.sarif:
        return json.dumps(to_sarif(report), indent=2, ensure_ascii=False)
    return lint_text(report)


def lint(
    ctx: typer.Context,
    fmt: Annotated[LintFormat, typer.Option("--format", help="text, json, or sarif (SARIF 2.1.0 for code scanning).")]
    = LintFormat.text,
    server_url: Annotated[str | None, typer.Option(
        "--scratch-server", envvar="HEALTHSCHEMA_SCRATCH_SERVER", show_envvar=True,
        help="A PostgreSQL server to create lint's scratch database on (default: a disposable one is started).",
    )] = None,
) -> None:
    """Lint the rendered migrations: squawk, then the security, index and online-safety rules on a
    disposable database with the migrations applied one by one (docs/lint.md).

    Each finding names file:line (or the object), the rule id and a fix hint. Exit 1 on any error finding."""
    project = state(ctx).project()
    if server_url is None:
        typer.echo("lint: starting a disposable PostgreSQL for the database rules", err=True)
    report = lint_lib.lint(project, server_url)
    typer.echo(render_lint(report, fmt))
    if not report.ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("lint")(lint)
