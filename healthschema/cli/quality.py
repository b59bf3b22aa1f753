"""Quality gates: ``check`` (the CI gate), ``lint`` (squawk + security / index / online-safety rules on a
disposable database) and ``policy-check --mutations`` (does the access matrix notice a weakened policy?)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from healthschema.checks import gate, mutations
from healthschema.checks import lint as lint_lib
from healthschema.checks.gate import GateReport
from healthschema.checks.junit import to_junit
from healthschema.checks.lint_findings import LintReport
from healthschema.checks.lint_sarif import to_sarif
from healthschema.checks.mutations import Mutation, MutationReport
from healthschema.cli.common import Format, emit, state
from healthschema.errors import ConfigError
from healthschema.pg import server
from healthschema.pg.connect import mask_url


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
    emit(fmt, report.to_dict(), lambda: typer.echo(render_lint(report, fmt)), failed=not report.ok)




def mutation_text(report: MutationReport) -> str:
    lines = [f"baseline differs: {line}" for line in report.baseline]
    for result in report.results:
        if result.cells:
            lines.append(f"caught   {result.mutation.name}: {len(result.cells)} cell(s), e.g. {result.cells[0]}")
        elif result.findings:
            lines.append(f"caught   {result.mutation.name}: by the security check {result.findings[0].split(':')[0]} "
                         "(no persona can observe it)")
        elif result.equivalent:
            lines.append(f"equivalent {result.mutation.name}: {result.mutation.equivalent}")
        else:
            lines.append(f"UNCAUGHT {result.mutation.name}: no matrix cell notices it (a gap in the matrix)")
    caught = len(report.results) - len(report.uncaught) - len(report.equivalent)
    lines.append(f"{caught} of {len(report.results)} mutations caught; {len(report.equivalent)} equivalent; "
                 f"{len(report.uncaught)} uncaught"
                 + ("; the unmutated matrix already differs" if report.baseline else ""))
    return "\n".join(lines)


def run_mutations(url: str, schema: str, private_schema: str, json_output: bool) -> None:
    """``policy-check --mutations``: print the report; exit 1 when a mutation is uncaught."""
    def progress(done: int, total: int, mutation: Mutation) -> None:
        typer.echo(f"[{done}/{total}] {mutation.name}", err=True)

    typer.echo(f"policy-check --mutations on {mask_url(url)} (one rolled-back transaction)", err=True)
    report = mutations.check_mutations(url, schema=schema, private_schema=private_schema, progress=progress)
    emit(Format.json if json_output else Format.text, report.to_dict(), lambda: typer.echo(mutation_text(report)),
         failed=not report.ok)


class CheckFormat(StrEnum):
    text = "text"
    json = "json"
    junit = "junit"


def gate_text(report: GateReport) -> str:
    lines = []
    for step in report.steps:
        lines.append(f"{step.name}: {step.status} ({step.seconds:.1f}s)")
        lines += [f"  {message}" for message in step.messages]
    verdict = {0: "ok: every step passed", 1: "problems found", 2: "a step could not run"}[report.exit_code]
    target = f" (database {report.database})" if report.database else " (no database: verify and policy-check not run)"
    lines.append(verdict + target)
    return "\n".join(lines)


def check(
    ctx: typer.Context,
    database_url: Annotated[str | None, typer.Option(
        "--database-url", envvar="DATABASE_URL", show_envvar=True,
        help="Also run verify and policy-check against this database (without it they are not run).",
    )] = None,
    fmt: Annotated[CheckFormat, typer.Option(
        "--format", help="text, json, or junit (JUnit XML, one test case per step).",
    )] = CheckFormat.text,
    server_url: Annotated[str | None, typer.Option(
        "--scratch-server", envvar="HEALTHSCHEMA_SCRATCH_SERVER", show_envvar=True,
        help="A PostgreSQL server for the scratch databases of snapshot --check and lint (default: a disposable one).",
    )] = None,
) -> None:
    """The CI gate: render --check, snapshot --check, types --check (when available), lint; with a database
    also verify and policy-check. Every step runs; exit 0 all passed, 1 a step found problems, 2 a step
    could not run."""
    project = state(ctx).project()
    if database_url is not None and not database_url.strip():
        raise ConfigError("the database URL is empty", hint="pass --database-url postgresql://..., or unset it")
    url = server.resolve_database_url(database_url) if database_url is not None else None
    if server_url is None:
        typer.echo("check: starting a disposable PostgreSQL for snapshot --check and lint", err=True)
    report = gate.run_gate(project, url, server_url, progress=lambda name: typer.echo(f"check: {name}", err=True))
    emit(fmt, report.to_dict(), lambda: typer.echo(to_junit(report), nl=False) if fmt is CheckFormat.junit
         else typer.echo(gate_text(report)), failed=bool(report.exit_code), code=report.exit_code)

