"""``snapshot``, ``verify``, ``preflight`` and ``deploy``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from healthschema import operations as deploy
from healthschema.checks import preflight, verify
from healthschema.cli.common import DatabaseUrl, Format, OutputFormat, state
from healthschema.pg import server
from healthschema.schema import snapshot


def _verify_text(report: verify.VerifyReport) -> None:
    for problem in report.problems():
        typer.echo(problem)
    for migration_id in report.pending:
        typer.echo(f"pending {migration_id} (not applied; not drift)")
    counts = report.counts()
    plural = {"relation": "relations", "column": "columns", "index": "indexes", "trigger": "triggers",
              "policy": "policies", "function": "functions", "grant": "grants"}
    summary = ", ".join(f"{counts[k]} {name}" for k, name in plural.items() if counts[k])
    if report.ok:
        typer.echo(f"ok: PostgreSQL {report.server_version} matches {len(report.applied)} applied "
                   f"migration(s) ({summary or 'nothing to verify'})")
    else:
        typer.echo(f"drift: {len(report.problems())} difference(s) from {len(report.applied)} applied migration(s)")


def register(app: typer.Typer) -> None:
    @app.command("snapshot")
    def snapshot_cmd(
        ctx: typer.Context,
        check: Annotated[
            bool, typer.Option("--check", help="Change nothing; exit 1 if the snapshot is stale.")
        ] = False,
    ) -> None:
        """Apply the migrations to a disposable PostgreSQL and write migrations/expected_snapshot.json."""
        project = state(ctx).project()
        if check:
            result = snapshot.check_snapshot(project)
            for reason in result.reasons:
                typer.echo(f"stale: {reason}")
            if result.stale:
                typer.echo(f"{result.path.name} is stale (run `healthschema snapshot`)")
                raise typer.Exit(1)
            typer.echo(f"{result.path.name} is up to date")
            return
        path = snapshot.write_snapshot(project)
        typer.echo(f"wrote {path}")

    @app.command("verify")
    def verify_cmd(ctx: typer.Context, database_url: DatabaseUrl = None, fmt: OutputFormat = Format.text) -> None:
        """Compare the database with what its applied migrations define (exit 1 on any drift)."""
        project = state(ctx).project()
        report = verify.verify(project, server.resolve_database_url(database_url))
        if fmt is Format.json:
            typer.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
        else:
            _verify_text(report)
        if not report.ok:
            raise typer.Exit(1)

    @app.command("preflight")
    def preflight_cmd(
        ctx: typer.Context, database_url: DatabaseUrl = None, fmt: OutputFormat = Format.text,
        with_platform_stub: Annotated[bool, typer.Option(
            "--with-platform-stub", help="Missing platform objects are fine: the platform stub will create them.",
        )] = False,
    ) -> None:
        """Check that the migrations can be applied: version, platform objects, name conflicts, privileges."""
        project = state(ctx).project()
        report = preflight.preflight(project, server.resolve_database_url(database_url), with_platform_stub)
        if fmt is Format.json:
            typer.echo(json.dumps(report.to_dict(), indent=2, sort_keys=True))
        else:
            for problem in report.problems:
                typer.echo(f"problem: {problem}")
            for note in report.notes:
                typer.echo(f"note: {note}")
            typer.echo(f"ok: PostgreSQL {report.server_version}, ready to apply" if report.ok
                       else f"{len(report.problems)} problem(s)")
        if not report.ok:
            raise typer.Exit(1)

    @app.command("deploy")
    def deploy_cmd(
        ctx: typer.Context, database_url: DatabaseUrl = None,
        report_file: Annotated[Path | None, typer.Option(
            "--report", help="Write the deployment report to FILE.md and FILE.json.",
        )] = None,
        with_platform_stub: Annotated[bool, typer.Option(
            "--with-platform-stub", help="Also apply the platform stub (standalone PostgreSQL only).",
        )] = False,
    ) -> None:
        """preflight → apply → verify → policy-check, stopping at the first failure; writes a report."""
        project = state(ctx).project()
        result = deploy.deploy(project, server.resolve_database_url(database_url), report_file,
                               with_platform_stub=with_platform_stub)
        for stage in result.stages:
            typer.echo(f"{stage.name}: {stage.status}" + (f" - {stage.summary}" if stage.summary else ""))
        for problem in result.problems:
            typer.echo(f"problem: {problem}")
        for path in result.report_paths:
            typer.echo(f"wrote {path}")
        if result.error is not None:
            typer.echo(f"error: {result.error}", err=True)
            raise typer.Exit(2)
        if not result.ok:
            raise typer.Exit(1)
