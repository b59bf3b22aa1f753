"""The checking job: ``verify``, ``preflight`` and ``policy-check`` (each changes nothing)."""

from __future__ import annotations

from typing import Annotated

import typer

from healthschema.checks import access_matrix as am
from healthschema.checks import policy_check, preflight, verify
from healthschema.cli import quality
from healthschema.cli.common import DatabaseUrl, Format, OutputFormat, emit, state, table


def _verify_text(report: verify.VerifyReport) -> None:
    for problem in report.problems():
        typer.echo(problem)
    for migration_id in report.pending:
        typer.echo(f"pending {migration_id} (not applied; not drift)")
    counts = report.counts()
    plural = {"relation": "relations", "column": "columns", "index": "indexes", "trigger": "triggers",
              "policy": "policies", "function": "functions", "grant": "grants"}
    summary = ", ".join(f"{counts[k]} {name}" for k, name in plural.items() if counts[k])
    typer.echo(f"target: {report.target} (PostgreSQL {report.server_version})", err=True)
    if report.ok:
        typer.echo(f"ok: PostgreSQL {report.server_version} matches {len(report.applied)} applied "
                   f"migration(s) ({summary or 'nothing to verify'})")
    else:
        typer.echo(f"drift: {len(report.problems())} difference(s) from {len(report.applied)} applied migration(s)")


def _outcome(result: policy_check.CellResult) -> str:
    shown = result.actual + ("*" if result.changed else "")
    return shown if result.ok else f"{shown}≠{result.expected}"


def _cell_text(results: dict[str, policy_check.CellResult], targets: tuple[str, ...]) -> str:
    return "/".join(_outcome(results[t]) for t in targets if t in results)


def matrix_tables(report: policy_check.PolicyReport) -> str:
    """One persona × command table per table; org tables show ``own/other`` and the move cell."""
    by_key = {(c.table, c.persona, c.command, c.target): c for c in report.cells if c.returning and not c.column}
    blocks = []
    for tbl in am.TABLES:
        headers = ["persona", *am.COMMANDS] + (["MOVE→B"] if tbl.org_scoped else [])
        targets = ("own", "other") if tbl.org_scoped else ("row",)
        rows = []
        for persona in am.PERSONAS:
            row = [persona.name]
            for command in am.COMMANDS:
                results = {t: by_key[k] for t in targets if (k := (tbl.name, persona.name, command, t)) in by_key}
                row.append(_cell_text(results, targets))
            if tbl.org_scoped:
                move = by_key.get((tbl.name, persona.name, "UPDATE", "move"))
                row.append(_outcome(move) if move else "")
            rows.append(row)
        legend = "  (own org / other org)" if tbl.org_scoped else ""
        blocks.append(f"{tbl.name}{legend}\n{table(headers, rows)}")
    blocks.append(_extra_cells(report))
    return "\n\n".join(blocks)


def _extra_cells(report: policy_check.PolicyReport) -> str:
    """Summary of the cells the tables do not show: writes without RETURNING, and column cells."""
    bare = [c for c in report.cells if not c.returning and not c.column]
    columns = [c for c in report.cells if c.column]
    lines = [f"writes without RETURNING (WITH CHECK alone): {sum(c.ok for c in bare)} of {len(bare)} as specified"]
    for tbl in sorted({c.table for c in columns}):
        for persona in am.PERSONAS:
            mine = [c for c in columns if c.table == tbl and c.persona == persona.name]
            if mine:
                allowed = sum(c.expected == am.ALLOWED for c in mine)
                lines.append(f"column rights {tbl} as {persona.name}: {allowed} of {len(mine)} columns "
                             f"writable, {sum(c.ok for c in mine)} of {len(mine)} cells as specified")
    return "\n".join(lines)


def _print_text(report: policy_check.PolicyReport) -> None:
    typer.echo(matrix_tables(report))
    typer.echo("")
    typer.echo("✓ allowed, F filtered (0 rows), D denied (42501), E other error; "
               "X≠Y: got X, expected Y; *: a filtered or denied write changed the row")
    for mismatch in report.mismatches:
        typer.echo(f"differs: {mismatch.describe()}")
    for finding in report.findings:
        typer.echo(f"finding: {finding}")
    if report.ok:
        typer.echo(f"all {len(report.cells)} cells as specified; no security findings")
    else:
        typer.echo(f"{len(report.mismatches)} of {len(report.cells)} cells differ; "
                   f"{len(report.findings)} security finding(s)")


def verify_cmd(ctx: typer.Context, database_url: DatabaseUrl = "", fmt: OutputFormat = Format.text) -> None:
    """Compare the database with what its applied migrations define (exit 1 on any drift or an
    unfinished back-fill)."""
    project = state(ctx).project()
    report = verify.verify(project, database_url)
    emit(fmt, report.to_dict(), lambda: _verify_text(report), failed=not report.ok)


def _preflight_text(report: preflight.PreflightReport) -> None:
    for problem in report.problems:
        typer.echo(f"problem: {problem}")
    for note in report.notes:
        typer.echo(f"note: {note}")
    typer.echo(f"ok: PostgreSQL {report.server_version}, ready to apply" if report.ok
               else f"{len(report.problems)} problem(s)")


def preflight_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "", fmt: OutputFormat = Format.text,
    with_platform_stub: Annotated[bool, typer.Option(
        "--with-platform-stub", help="Missing platform objects are fine: the platform stub will create them.",
    )] = False,
) -> None:
    """Check that the migrations can be applied: version, platform objects, name conflicts, privileges."""
    project = state(ctx).project()
    report = preflight.preflight(project, database_url, with_platform_stub)
    emit(fmt, report.to_dict(), lambda: _preflight_text(report), failed=not report.ok)


def policy_check_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "", fmt: OutputFormat = Format.text,
    mutations: Annotated[bool, typer.Option(
        "--mutations", help="Weaken each policy in turn (rolled back) and name every weakening no cell catches.",
    )] = False,
) -> None:
    """Run the RLS access matrix (SPEC §2.5) and the security checks; the database is left unchanged.

    Exit 1 when any cell differs from the specification or a security rule is broken (with
    --mutations: when a weakened policy goes unnoticed; run that on a disposable or staging
    database, it locks each table briefly)."""
    project = state(ctx).project()
    if mutations:
        quality.run_mutations(database_url, project.app_schema, project.private_schema, fmt is Format.json)
        return
    report = policy_check.check_policies(
        database_url,
        schema=project.app_schema,
        private_schema=project.private_schema,
    )
    emit(fmt, report.to_dict(), lambda: _print_text(report), failed=not report.ok)
