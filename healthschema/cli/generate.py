"""The generating jobs: ``types``, ``milestone new`` and ``export --supabase DIR`` (plain top-level command
functions)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from healthschema.cli.common import Format, OutputFormat, emit, state
from healthschema.generate import milestone, typescript
from healthschema.generate.supabase_export import export_supabase
from healthschema.pg import connect as db


class Language(StrEnum):
    typescript = "typescript"


def types(
    ctx: typer.Context,
    lang: Annotated[Language, typer.Option("--lang", help="Output language.")] = Language.typescript,
    out: Annotated[Path | None, typer.Option("--out", help="Write the types to FILE (default: stdout).")] = None,
    check: Annotated[Path | None, typer.Option(
        "--check", help="Change nothing; exit 1 if FILE differs from the generated types.")] = None,
    database_url: Annotated[str | None, typer.Option(
        "--database-url", help="Generate from this live database instead of the committed snapshot "
                               "(DATABASE_URL is not read: the default is the snapshot, no database).")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format of --check.")] = Format.text,
) -> None:
    """Supabase-style TypeScript types (Row/Insert/Update/Relationships, Views, Functions, helpers,
    Constants) from the committed snapshot, or from a live database with --database-url."""
    project = state(ctx).project()
    if database_url is not None:
        typer.echo(f"reading {db.mask_url(db.validate_url(database_url))}", err=True)
        text = typescript.from_database(project, database_url)
    else:
        text = typescript.from_snapshot(project)
    if check is not None:
        result = typescript.check(check, text)
        hint = f"run `healthschema types --lang {lang} --out {check}`"
        emit(fmt, {"ok": not result.stale, "path": str(check), "stale": result.stale,
                   "reason": result.reason if result.stale else None},
             lambda: typer.echo(f"stale: {result.reason} ({hint})" if result.stale else f"{check} is up to date"),
             failed=result.stale)
        return
    if out is None:
        typer.echo(text, nl=False)
        return
    changed = typescript.write(out, text)
    typer.echo(f"wrote {out}" if changed else f"{out} is up to date")


milestone_app = typer.Typer(help="Milestone templates: scaffold a new one as a new migration.",
                            no_args_is_help=True)


@milestone_app.command("new")
def milestone_new(
    ctx: typer.Context,
    key: Annotated[str, typer.Option("--key", help="Template key: lower-case snake_case, unique forever.")],
    name: Annotated[str, typer.Option("--name", help="Milestone name shown to users (stored verbatim).")],
    category: Annotated[str, typer.Option("--category", help="A milestone_category value.")],
    type_: Annotated[str, typer.Option("--type", help="A milestone_type value.")] = "custom",
    priority: Annotated[str, typer.Option("--priority", help="A priority value.")] = "medium",
    due: Annotated[str, typer.Option(
        "--due", help="Target date rule: created+Nd / created-Nd or wedding+Nd / wedding-Nd.")] = "created+0d",
    requires: Annotated[list[str] | None, typer.Option(
        "--requires", help="Key of a prerequisite template (repeatable).")] = None,
    critical_path: Annotated[bool, typer.Option("--critical-path", help="On the wedding's critical path.")] = False,
    description: Annotated[str | None, typer.Option("--description", help="Description (stored verbatim).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the files it would write; write nothing.")] = False,
) -> None:
    """Add a milestone template as a NEW migration (+ rollback) that back-fills existing clients."""
    project = state(ctx).project()
    spec = milestone.MilestoneSpec(
        key=key, name=name, category=category, type=type_, priority=priority, due=due,
        requires=tuple(requires or ()), critical_path=critical_path, description=description,
    )
    plan = milestone.plan(project, spec)
    if dry_run:
        for file in plan.files:
            typer.echo(f"--- would write {file.path.relative_to(project.root)}")
            typer.echo(file.text, nl=False)
        return
    for path in milestone.write(project, plan):
        typer.echo(f"wrote {path.relative_to(project.root)}")
    typer.echo(f"next: review, commit, `healthschema snapshot`, then `healthschema apply` ({plan.migration_id})")


def export(
    ctx: typer.Context,
    supabase: Annotated[Path, typer.Option(
        "--supabase", metavar="DIR", help="Write DIR/supabase/migrations/<version>_<slug>.sql (no platform stub).",
    )],
    fmt: OutputFormat = Format.text,
) -> None:
    """Export the forward health migrations for `supabase db push` (same SQL, Supabase CLI layout).

    Each file is the rendered migration after a short preamble (source, sha256, the runner's lock_timeout).
    Exit 2 if a migration runs outside a transaction (supabase db push cannot run it)."""
    files = export_supabase(state(ctx).project(), supabase)
    def text() -> None:
        for file in files:
            typer.echo(f"{'wrote' if file.changed else 'unchanged'} {file.path}")
        typer.echo(f"{len(files)} migration(s) in {supabase / 'supabase' / 'migrations'}; "
                   "apply with `supabase db push` (it records no healthschema ledger: see docs/ci.md)")

    emit(fmt, {"directory": str(supabase), "files": [
        {"path": str(f.path), "source": f.source.id, "checksum": f.source.checksum, "changed": f.changed}
        for f in files]}, text)

