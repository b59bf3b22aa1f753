"""The migration job: ``render``, ``snapshot``, ``status``, ``apply`` and ``rollback``."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from healthschema import operations
from healthschema.cli.common import DatabaseUrl, Format, OutputFormat, emit, state, table
from healthschema.cli.data import schedule_line
from healthschema.engine.backfill import BackfillResult
from healthschema.engine.plan import Step
from healthschema.errors import ConfigError
from healthschema.files import render
from healthschema.pg.ledger import BackfillRow
from healthschema.schema import snapshot
from healthschema.workload import schedule as refresh_schedule


def _relative(project_root: object, path: object) -> str:
    from pathlib import Path

    try:
        return str(Path(str(path)).relative_to(Path(str(project_root))))
    except ValueError:
        return str(path)


def _progress(phase: str, step: Step) -> None:
    verb = "applying" if step.direction == "apply" else "rolling back"
    if phase == "start":
        typer.echo(f"{verb} {step.migration.id} ...", err=True)
    elif phase == "done":
        typer.echo(f"  ok ({step.duration_ms} ms)", err=True)
    else:  # waiting for a lock / retrying after a lock timeout
        typer.echo(f"  {step.migration.id}: {phase}", err=True)


def _batch(result: BackfillResult) -> None:
    typer.echo(f"back-fill {result.migration_id}: {result.batches_done}/{result.batches_total} batch(es), "
               f"{result.keys_done:,} key(s) done", err=True)


def _run_failed(result: operations.RunResult) -> bool:
    """A dry run whose real run would refuse (data loss) or not start (preflight problems)."""
    return result.dry_run and bool(result.data_loss or result.problems)


def _run_json(result: operations.RunResult) -> dict[str, object]:
    data = result.to_dict()
    if result.dry_run:
        for entry, step in zip(data["migrations"], result.steps, strict=True):
            entry["sql"] = step.sql
    return data


def _print_run(result: operations.RunResult, fmt: Format = Format.text) -> None:
    emit(fmt, _run_json(result), lambda: _run_text(result), failed=_run_failed(result))


def _run_text(result: operations.RunResult) -> None:
    if result.dry_run:
        for step in result.steps:
            typer.echo(f"-- {step.direction}: {step.migration.id} (dry run, not executed)")
            typer.echo(step.sql)
        for loss in result.data_loss:
            typer.echo(f"-- data loss: would drop {loss.describe()}")
        typer.echo(f"-- plan: {len(result.steps)} migration(s); nothing was changed")
        if result.data_loss:  # the real run would refuse: the dry run says so the same way
            typer.echo("rollback would destroy data written or changed after the migrations ran: the real run "
                       "refuses without --allow-data-loss", err=True)
            return
        for problem in result.problems:
            typer.echo(f"problem: {problem}")
        if result.problems:
            typer.echo(f"preflight found {len(result.problems)} problem(s): a real apply would not start",
                       err=True)
        return
    if result.rehearsed:
        typer.echo(f"rehearsed {len(result.steps)} migration(s) on the target in one transaction, then rolled "
                   "back: nothing changed")
        return
    done = "applied" if not result.steps or result.steps[0].direction == "apply" else "rolled back"
    if not result.steps and not result.backfills:
        typer.echo("nothing to do")
    elif result.steps:
        typer.echo(f"{done} {len(result.steps)} migration(s)")
    if result.steps and done == "applied":
        typer.echo(f"platform tables locked against writers: {result.platform_lock_ms:g} ms "
                   f"({', '.join(result.platform_locks) or 'no writer-blocking lock'})")
    for b in result.backfills:
        typer.echo(f"back-fill {b.migration_id}: {b.keys_this_run:,} key(s) in {b.batches_done} batch(es) "
                   f"({b.keys_per_s:,.0f}/s), finished; its batches held "
                   f"{', '.join(b.platform_locks) or 'no writer-blocking lock on platform tables'}")


CheckFormat = Annotated[Format, typer.Option("--format", help="Output format (with --check).")]


def render_cmd(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="Change nothing; exit 1 if files differ.")] = False,
    fmt: CheckFormat = Format.text,
) -> None:
    """Render templates/ + healthschema.toml into migrations/."""
    project = state(ctx).project()
    if check:
        differ = [_relative(project.root, path) for path in render.differences(project)]

        def text() -> None:
            for path in differ:
                typer.echo(f"differs: {path}")
            typer.echo(f"{len(differ)} file(s) differ from the templates (run `healthschema render`)" if differ
                       else "migrations are up to date with the templates")

        emit(fmt, {"ok": not differ, "differ": differ}, text, failed=bool(differ))
        return
    changed = [_relative(project.root, path) for path in render.write_rendered(project)]

    def written() -> None:
        for path in changed:
            typer.echo(f"wrote {path}")
        typer.echo(f"{len(changed)} file(s) changed")

    emit(fmt, {"ok": True, "written": changed}, written)


def snapshot_cmd(
    ctx: typer.Context,
    check: Annotated[
        bool, typer.Option("--check", help="Change nothing; exit 1 if the snapshot is stale.")
    ] = False,
    fmt: CheckFormat = Format.text,
) -> None:
    """Apply the migrations to a disposable PostgreSQL and write migrations/expected_snapshot.json."""
    project = state(ctx).project()
    if check:
        result = snapshot.check_snapshot(project)

        def text() -> None:
            for reason in result.reasons:
                typer.echo(f"stale: {reason}")
            typer.echo(f"{result.path.name} is stale (run `healthschema snapshot`)" if result.stale
                       else f"{result.path.name} is up to date")

        emit(fmt, {"ok": not result.stale, "path": _relative(project.root, result.path), "stale": result.stale,
                   "reasons": list(result.reasons)}, text, failed=result.stale)
        return
    path = snapshot.write_snapshot(project)
    emit(fmt, {"ok": True, "written": _relative(project.root, path)}, lambda: typer.echo(f"wrote {path}"))


def status_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "", fmt: OutputFormat = Format.text,
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 when anything is pending, modified or missing.")
    ] = False,
) -> None:
    """Applied, pending and modified migrations (modified = edited after it was applied)."""
    project = state(ctx).project()
    report = operations.status(project, database_url)
    scheduled = refresh_schedule.current(database_url)
    backfills = {b.migration_id: b for b in report.backfills}
    if fmt is Format.json:
        typer.echo(json.dumps([
            {"id": m.id, "set": m.set_name, "state": m.state,
             "applied_at": m.applied_at.isoformat() if m.applied_at else None,
             "backfill": backfills[m.id].to_dict() if m.id in backfills else None}
            for m in report.migrations
        ], indent=2))
    else:
        rows = [
            [m.id, m.set_name, m.state, m.applied_at.strftime("%Y-%m-%d %H:%M:%S") if m.applied_at else "",
             _backfill_cell(backfills.get(m.id))]
            for m in report.migrations
        ]
        typer.echo(table(["migration", "set", "state", "applied at", "back-fill"], rows))
        typer.echo(f"schedule: {schedule_line(scheduled)}")
    problems = report.ids("modified") + report.ids("missing")
    if problems or (check and (report.ids("pending") or report.unfinished_backfills())):
        raise typer.Exit(1)


def _backfill_cell(row: BackfillRow | None) -> str:
    if row is None:
        return ""
    return f"{row.state} ({row.batches_done} batch(es), {row.keys_done:,} keys)"


def apply_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "",
    to: Annotated[str | None, typer.Option("--to", help="Apply up to and including this version.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the SQL and the plan; change nothing.")] = False,
    with_platform_stub: Annotated[bool, typer.Option(
        "--with-platform-stub",
        help="Also apply the platform stub (auth shim, organizations, ...) for standalone PostgreSQL.",
    )] = False,
    rehearse: Annotated[bool, typer.Option(
        "--rehearse", help="Run the plan on the target in one transaction, then roll it back.")] = False,
    fmt: OutputFormat = Format.text,
) -> None:
    """Preflight, then apply pending migrations under an advisory lock: all transactional ones in one transaction."""
    project = state(ctx).project()
    if dry_run and rehearse:
        raise ConfigError("use either --dry-run or --rehearse, not both")
    result = operations.apply(
        project, database_url, to=to, dry_run=dry_run, with_platform_stub=with_platform_stub, progress=_progress,
        rehearse=rehearse, on_batch=_batch,
    )
    _print_run(result, fmt)


def rollback_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "",
    steps: Annotated[int | None, typer.Option("--steps", help="Roll back this many migrations.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Roll back every migration after this version.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Roll back every applied migration.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the rollback SQL; change nothing.")] = False,
    allow_data_loss: Annotated[bool, typer.Option(
        "--allow-data-loss", help="Roll back even if it drops tables or columns that hold rows.")] = False,
    fmt: OutputFormat = Format.text,
) -> None:
    """Roll back applied migrations (one by default); refuses to drop data unless --allow-data-loss."""
    project = state(ctx).project()
    result = operations.rollback(
        project, database_url, steps=steps, to=to, all_=all_,
        dry_run=dry_run, progress=_progress, allow_data_loss=allow_data_loss,
    )
    _print_run(result, fmt)


def adopt_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "",
    to: Annotated[str | None, typer.Option("--to", help="Adopt up to and including this version.")] = None,
) -> None:
    """Baseline a hand-applied schema: record the migrations as applied only if the live catalog
    matches their expected snapshot exactly (exit 1 naming each difference, nothing recorded)."""
    project = state(ctx).project()
    result = operations.adopt(project, database_url, to=to)
    typer.echo(f"target: {result.target}", err=True)
    if result.recorded:
        typer.echo(f"adopted: the catalog matches; recorded {len(result.migrations)} migration(s) as applied "
                   f"(up to {result.migrations[-1] if result.migrations else 'none'}) without running them")
        return
    for difference in result.differences:
        typer.echo(difference)
    typer.echo(f"not adopted: {len(result.differences)} difference(s) from the expected catalog; nothing recorded")
    raise typer.Exit(1)
