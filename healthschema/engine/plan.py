"""Plans: which migrations an apply or a rollback runs, in order (pure: files + ledger in, files out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from healthschema.errors import ConfigError
from healthschema.files.migration_files import MigrationFile, resolve_version
from healthschema.pg.ledger import LedgerRow

Direction = Literal["apply", "rollback"]


@dataclass(frozen=True)
class Step:
    """A migration run (or, with dry-run, planned) in one direction."""

    direction: Direction
    migration: MigrationFile
    duration_ms: int | None = None

    @property
    def sql(self) -> str:
        if self.direction == "apply":
            return self.migration.sql
        return self.migration.rollback_sql or ""


def apply_plan(
    files: list[MigrationFile], ledger: list[LedgerRow], to: str | None, with_stub: bool
) -> list[MigrationFile]:
    """The unapplied migrations up to and including ``to`` (all by default); the platform stub
    only ``with_stub``.

    :raises ConfigError: ``to`` is not a known version.
    """
    applied = {row.migration_id for row in ledger}
    candidates = [f for f in files if with_stub or not f.is_platform_stub]
    if to is not None:
        target = resolve_version(files, to)
        candidates = candidates[: candidates.index(target) + 1] if target in candidates else []
    return [f for f in candidates if f.id not in applied]


def rollback_plan(
    files: list[MigrationFile], ledger: list[LedgerRow], steps: int | None, to: str | None, all_: bool
) -> list[MigrationFile]:
    """The applied migrations to roll back, newest first: one by default, ``steps`` of them, every
    one after ``to``, or all.

    :raises ConfigError: conflicting options, ``steps`` below 1 or an unknown version.
    """
    if sum(option is not None and option is not False for option in (steps, to, all_ or None)) > 1:
        raise ConfigError("use only one of --steps, --to and --all")
    applied_ids = {row.migration_id for row in ledger}
    applied = [f for f in files if f.id in applied_ids][::-1]
    if all_:
        return applied
    if to is not None:
        target = resolve_version(files, to)
        return [f for f in applied if files.index(f) > files.index(target)]
    count = 1 if steps is None else steps
    if count < 1:
        raise ConfigError("--steps must be at least 1")
    if count > len(applied):
        raise ConfigError(f"--steps {count} asks for more than the {len(applied)} applied migration(s)",
                          hint="use --all to roll back every applied migration" if applied else None)
    return applied[:count]
