"""The deployment job: ``deploy`` (preflight → apply → verify → policy-check, with a report)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from healthschema import operations
from healthschema.cli.common import DatabaseUrl, Format, OutputFormat, emit, state
from healthschema.files.deploy_report import DeployReport


def deploy_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "",
    report_file: Annotated[Path | None, typer.Option(
        "--report", help="Write the deployment report to FILE.md and FILE.json.",
    )] = None,
    with_platform_stub: Annotated[bool, typer.Option(
        "--with-platform-stub", help="Also apply the platform stub (standalone PostgreSQL only).",
    )] = False,
    rehearse: Annotated[bool, typer.Option(
        "--rehearse", help="Apply, verify and policy-check inside one transaction on the target, then roll back.",
    )] = False,
    fmt: OutputFormat = Format.text,
) -> None:
    """preflight → apply (DDL in one transaction, then the back-fills in batches) → verify →
    policy-check, stopping at the first failure; writes a report."""
    project = state(ctx).project()
    result = operations.deploy(project, database_url, report_file,
                               with_platform_stub=with_platform_stub, rehearse=rehearse)
    data = result.to_dict() | {"report_paths": [str(p) for p in result.report_paths]}
    if result.error is not None:  # could not run: the report, then one line on stderr and exit 2
        emit(fmt, data, lambda: _text(result))
        typer.echo(f"error: {result.error}", err=True)
        raise typer.Exit(2)
    emit(fmt, data, lambda: _text(result), failed=not result.ok)


def _text(result: DeployReport) -> None:
    for stage in result.stages:
        typer.echo(f"{stage.name}: {stage.status}" + (f" - {stage.summary}" if stage.summary else ""))
    for problem in result.problems:
        typer.echo(f"problem: {problem}")
    for path in result.report_paths:
        typer.echo(f"wrote {path}")
