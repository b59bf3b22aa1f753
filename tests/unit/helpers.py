"""Pure test data: migration files and ledger rows without disk or database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from healthschema.files.migration_files import MigrationFile
from healthschema.files.project import HEALTH, PLATFORM_STUB
from healthschema.pg.ledger import LedgerRow

WHEN = datetime(2025, 9, 1, tzinfo=UTC)


def mfile(version: str, set_name: str = HEALTH, checksum: str | None = None) -> MigrationFile:
    name = f"{version}_m{version[-2:]}"
    path = Path("/nonexistent") / set_name / f"{name}.sql"
    return MigrationFile(name, version, set_name, path, path.with_suffix(".rollback.sql"),
                         checksum or f"sum-{name}", None, True)


def row(file: MigrationFile, checksum: str | None = None) -> LedgerRow:
    return LedgerRow(file.id, file.set_name, checksum or file.checksum, WHEN, 1)


STUB = [mfile("20250101000000", PLATFORM_STUB), mfile("20250101000100", PLATFORM_STUB)]
HEALTHS = [mfile(f"202509010001{n:02d}") for n in range(4)]
FILES = STUB + HEALTHS
