"""Migration files on disk: discovery, checksums, versions and directives (no database)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from healthschema.errors import ConfigError
from healthschema.files.project import HEALTH, PLATFORM_STUB, MigrationSet, Project
from healthschema.files.render import MIGRATION_NAME
from healthschema.files.textfile import read_utf8

_TRANSACTIONAL_OFF = re.compile(r"^\s*--\s*transactional\s*:\s*false\s*$", re.I | re.M)
# `-- backfill: schema.function`: a data step the runner calls after the DDL commits (docs/deploying.md).
_BACKFILL = re.compile(r"^\s*--\s*backfill\s*:\s*(?P<name>\S.*?)\s*$", re.I | re.M)
_NAME_PART = r'(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")'
_QUALIFIED = re.compile(rf"^(?P<schema>{_NAME_PART})\.(?P<function>{_NAME_PART})$")


@dataclass(frozen=True)
class MigrationFile:
    """One forward migration and its rollback sibling."""

    id: str
    version: str
    set_name: str
    path: Path
    rollback_path: Path
    checksum: str
    rollback_checksum: str | None
    transactional: bool
    backfill: tuple[str, str] | None = None  # (schema, function) of its post-commit data step

    @property
    def is_platform_stub(self) -> bool:
        return self.set_name == PLATFORM_STUB

    @property
    def sql(self) -> str:
        return read_utf8(self.path)

    @property
    def rollback_sql(self) -> str | None:
        return read_utf8(self.rollback_path) if self.rollback_path.is_file() else None


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _leading_comments(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("--"):
            break
        lines.append(line)
    return "\n".join(lines)


def _unquote(part: str) -> str:
    return part[1:-1].replace('""', '"') if part.startswith('"') else part


def parse_backfill(header: str, path: Path) -> tuple[str, str] | None:
    """The function a ``-- backfill: schema.function`` header names, or None without the header.

    :raises ConfigError: the header does not name a schema-qualified function.
    """
    match = _BACKFILL.search(header)
    if match is None:
        return None
    name = _QUALIFIED.match(match["name"])
    if name is None:
        raise ConfigError(f"{path}: `-- backfill:` must name a schema-qualified function, got {match['name']!r}",
                          hint="e.g. `-- backfill: healthschema_private.backfill_milestone_templates`")
    return _unquote(name["schema"]), _unquote(name["function"])


def _read(path: Path, set_name: str) -> MigrationFile:
    match = MIGRATION_NAME.match(path.name)
    assert match is not None
    rollback = path.with_name(path.name.removesuffix(".sql") + ".rollback.sql")
    text = read_utf8(path)
    header = _leading_comments(text)
    return MigrationFile(
        id=path.name.removesuffix(".sql"),
        version=match["version"],
        set_name=set_name,
        path=path,
        rollback_path=rollback,
        checksum=sha256_file(path),
        rollback_checksum=sha256_file(rollback) if rollback.is_file() else None,
        transactional=not _TRANSACTIONAL_OFF.search(header),
        backfill=parse_backfill(header, path),
    )


def read_set(migration_set: MigrationSet) -> list[MigrationFile]:
    """The forward migrations of one set, sorted by version."""
    if not migration_set.migrations.is_dir():
        return []
    files = [
        _read(path, migration_set.name)
        for path in sorted(migration_set.migrations.glob("*.sql"))
        if MIGRATION_NAME.match(path.name) and not path.name.endswith(".rollback.sql")
    ]
    return sorted(files, key=lambda item: item.id)


def read_all(project: Project) -> list[MigrationFile]:
    """Every migration of every set, in apply order (platform stub first)."""
    files = [item for migration_set in project.migration_sets for item in read_set(migration_set)]
    seen: dict[str, MigrationFile] = {}
    for item in files:
        if item.id in seen:
            raise ConfigError(f"migration {item.id} exists twice ({seen[item.id].path}, {item.path})")
        seen[item.id] = item
    return files


def resolve_version(files: list[MigrationFile], version: str) -> MigrationFile:
    """The migration named by a 14-digit version or a full id.

    :raises ConfigError: no migration, or more than one, matches.
    """
    matches = [item for item in files if version in (item.id, item.version)]
    if len(matches) != 1:
        known = ", ".join(item.version for item in files) or "none"
        problem = "is ambiguous" if matches else "is not a known migration version"
        raise ConfigError(f"{version!r} {problem}", hint=f"known versions: {known}")
    return matches[0]


def of_set(files: list[MigrationFile], set_name: str) -> list[MigrationFile]:
    """The files of one migration set (``HEALTH`` or ``PLATFORM_STUB``), order kept: the one set filter."""
    return [item for item in files if item.set_name == set_name]


def health(files: list[MigrationFile]) -> list[MigrationFile]:
    """The health schema's migrations."""
    return of_set(files, HEALTH)


def platform_stub(files: list[MigrationFile]) -> list[MigrationFile]:
    """The platform stub's migrations."""
    return of_set(files, PLATFORM_STUB)
