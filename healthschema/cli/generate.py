"""The generating job: ``export --supabase DIR`` (the forward migrations in Supabase CLI layout)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from healthschema.cli.common import Format, OutputFormat, state
from healthschema.generate.supabase_export import export_supabase


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
    if fmt is Format.json:
        typer.echo(json.dumps({"directory": str(supabase), "files": [
            {"path": str(f.path), "source": f.source.id, "checksum": f.source.checksum, "changed": f.changed}
            for f in files]}, indent=2))
        return
    for file in files:
        typer.echo(f"{'wrote' if file.changed else 'unchanged'} {file.path}")
    typer.echo(f"{len(files)} migration(s) in {supabase / 'supabase' / 'migrations'}; "
               "apply with `supabase db push` (it records no healthschema ledger: see docs/ci.md)")

