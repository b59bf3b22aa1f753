"""``healthschema export --supabase DIR``: the forward health migrations in Supabase CLI layout.

``DIR/supabase/migrations/<14-digit version>_<slug>.sql``, one file per rendered forward migration of
the health set (never the platform stub: Supabase has the platform), so a team using
``supabase db push`` ships the same SQL. Each file is the rendered migration byte for byte after a
three-line preamble: where it came from (path and sha256) and the ``lock_timeout`` healthschema's
runner would have set (``supabase db push`` sets none). Rollback files are not exported: the
Supabase CLI has no down migrations.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from healthschema.errors import ConfigError
from healthschema.files.migration_files import MigrationFile, health, read_all
from healthschema.files.project import Project

LAYOUT = Path("supabase") / "migrations"


@dataclass(frozen=True)
class ExportedFile:
    source: MigrationFile
    path: Path
    changed: bool  # False: the file already had exactly this content


def preamble(project: Project, file: MigrationFile) -> str:
    source = file.path.resolve()
    root = project.root.resolve()
    relative = source.relative_to(root).as_posix() if source.is_relative_to(root) else file.path.name
    lines = [f"-- Exported by `healthschema export --supabase` from {relative} (sha256 {file.checksum})."]
    if project.statement_lock_timeout_ms > 0:
        lines.append("-- healthschema's runner sets this lock_timeout before every migration; "
                     "supabase db push does not.")
        lines.append(f"SET lock_timeout = '{project.statement_lock_timeout_ms}ms';")
    return "\n".join(lines) + "\n"


def exported_text(project: Project, file: MigrationFile) -> str:
    return preamble(project, file) + file.sql


def export_supabase(project: Project, directory: Path) -> list[ExportedFile]:
    """Write the export under ``directory`` (created when missing); returns every file, changed or not.

    :raises ConfigError: a migration runs outside a transaction (``supabase db push`` runs each file
        in one), or another file in the target folder already uses one of our versions.
    """
    ours = health(read_all(project))
    outside = [f.id for f in ours if not f.transactional]
    if outside:
        raise ConfigError(f"cannot export {', '.join(outside)}: `-- transactional: false` migrations cannot run "
                          "under supabase db push, which runs each file in a transaction",
                          hint="apply those with `healthschema apply`")
    target = directory / LAYOUT
    if target.exists() and not target.is_dir():
        raise ConfigError(f"{target} exists and is not a directory")
    names = {f.path.name for f in ours}
    versions = {f.version: f.path.name for f in ours}
    clashes = sorted(p.name for p in target.glob("*.sql")
                     if p.name not in names and p.name.split("_", 1)[0] in versions) if target.is_dir() else []
    if clashes:
        raise ConfigError(f"{target} already holds other migrations with our versions: {', '.join(clashes)}",
                          hint="remove them, or export into an empty directory")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for file in ours:
        path = target / file.path.name
        text = exported_text(project, file)
        changed = not path.is_file() or path.read_text(encoding="utf-8") != text
        if changed:
            path.write_text(text, encoding="utf-8")
        written.append(ExportedFile(file, path, changed))
    return written
