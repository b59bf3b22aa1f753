"""The ledger: our record of applied migrations, the migration lock, and how the two sides compare.

The ledger table (``<meta schema>.ledger``) holds one row per applied migration with the sha256 of
its file; yoyo's own tables live beside it (:mod:`healthschema.engine.yoyo_backend` writes both in
one transaction). The migration lock is one session-level PostgreSQL advisory lock per meta schema,
polled with a timeout on a dedicated connection. :func:`compare` is the one comparison of the
ledger with the migration files that status, apply, rollback and verify all use.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from healthschema.errors import HealthschemaError, LockTimeoutError, MigrationError
from healthschema.files.migration_files import MigrationFile
from healthschema.files.project import PLATFORM_STUB
from healthschema.pg import connect as db

State = Literal["applied", "pending", "modified", "missing"]
LOCK_POLL_SECONDS = 0.2
LOCK_KEY_PREFIX = "healthschema:"  # the advisory lock is hashtext(LOCK_KEY_PREFIX || meta schema)


@dataclass(frozen=True)
class LedgerRow:
    migration_id: str
    migration_set: str
    checksum: str
    applied_at: datetime
    duration_ms: int


@dataclass(frozen=True)
class MigrationStatus:
    """One migration's state: applied, pending, modified (edited after applying) or missing.

    ``file_checksum`` / ``ledger_checksum``: the sha256 of the file and the one recorded when it
    was applied (None where there is no file or no ledger row)."""

    id: str
    set_name: str
    state: State
    applied_at: datetime | None = None
    file_checksum: str | None = None
    ledger_checksum: str | None = None


@dataclass(frozen=True)
class BackfillRow:
    """Where a migration's post-commit back-fill stands: ``last_key`` done (None: not started),
    batches and keys done, finished or not (pending / partial)."""

    migration_id: str
    function: tuple[str, str]
    last_key: str | None
    batches_done: int
    keys_done: int
    finished: bool

    @property
    def state(self) -> str:
        return "done" if self.finished else ("partial" if self.batches_done else "pending")

    def to_dict(self) -> dict[str, Any]:
        return {"migration": self.migration_id, "function": ".".join(self.function), "state": self.state,
                "batches_done": self.batches_done, "keys_done": self.keys_done}


@dataclass(frozen=True)
class StatusReport:
    migrations: list[MigrationStatus]
    backfills: list[BackfillRow] = field(default_factory=list)

    def unfinished_backfills(self) -> list[BackfillRow]:
        return [b for b in self.backfills if not b.finished]

    def ids(self, state: State) -> list[str]:
        return [item.id for item in self.migrations if item.state == state]


def lock_key(meta_schema: str) -> str:
    """The text whose hash is the advisory lock of runs on ``meta_schema``."""
    return LOCK_KEY_PREFIX + meta_schema


def ensure(conn: db.Connection, meta_schema: str) -> None:
    """Create the meta schema and the ledger table when missing."""
    db.execute_file(conn, "ledger/create", schema=meta_schema)


def read(conn: db.Connection, meta_schema: str) -> list[LedgerRow]:
    """The applied migrations recorded in the ledger (empty before the first apply)."""
    if not db.fetch_value(conn, "ledger/exists", {"schema": meta_schema}):
        return []
    rows = db.fetch_all(conn, "ledger/rows", schema=meta_schema)
    return [LedgerRow(r[0], r[1], r[2], r[4], r[5]) for r in rows]


def read_backfills(conn: db.Connection, meta_schema: str) -> list[BackfillRow]:
    """Every recorded back-fill in ledger order (empty before the first apply of this version)."""
    if not db.fetch_value(conn, "ledger/backfill_exists", {"schema": meta_schema}):
        return []
    return [BackfillRow(r[0], (r[1], r[2]), r[3], r[4], r[5], r[6] is not None)
            for r in db.fetch_all(conn, "ledger/backfill_rows", schema=meta_schema)]


def record_backfill(conn: db.Connection, meta_schema: str, file: MigrationFile) -> None:
    """A pending back-fill for ``file`` (in the transaction that records the migration)."""
    if file.backfill is not None:
        db.execute_file(conn, "ledger/backfill_insert",
                        {"migration_id": file.id, "function_schema": file.backfill[0],
                         "function_name": file.backfill[1]}, schema=meta_schema)


def describe_interruption(url: str, meta_schema: str, before: list[LedgerRow], verb: str) -> str:
    """One line: what the ledger says now, compared with ``before`` (the ledger when the run started)."""
    try:
        with db.connection(url) as conn:
            rows = read(conn, meta_schema)
            partial = [b for b in read_backfills(conn, meta_schema) if not b.finished]
    except HealthschemaError:
        return f"interrupted during {verb}; could not read the ledger afterwards: run `healthschema status`"
    version = rows[-1].migration_id if rows else "none (nothing applied)"
    if [r.migration_id for r in rows] == [r.migration_id for r in before] and not partial:
        return f"interrupted: nothing committed; the database is at version {version}"
    if partial:
        done = ", ".join(f"{b.migration_id} {b.batches_done} batch(es) ({b.keys_done} keys) done" for b in partial)
        return (f"interrupted during the back-fill: DDL committed at version {version}, back-fill {done}; "
                "re-run `healthschema apply` to resume")
    changed = len({r.migration_id for r in rows} ^ {r.migration_id for r in before})
    return (f"interrupted: {changed} migration(s) committed before the interruption, the transaction in progress "
            f"was rolled back; the database is at version {version}")


def read_url(url: str, meta_schema: str) -> list[LedgerRow]:
    """:func:`read` over a new connection."""
    with db.connection(url) as conn:
        return read(conn, meta_schema)


def record_applied(conn: db.Connection, meta_schema: str, file: MigrationFile, duration_ms: int) -> None:
    db.execute_file(
        conn, "ledger/insert",
        {"migration_id": file.id, "migration_set": file.set_name, "checksum": file.checksum,
         "rollback_checksum": file.rollback_checksum, "duration_ms": duration_ms},
        schema=meta_schema,
    )


def record_rolled_back(conn: db.Connection, meta_schema: str, file: MigrationFile) -> None:
    db.execute_file(conn, "ledger/delete", {"migration_id": file.id}, schema=meta_schema)


def compare(files: list[MigrationFile], ledger: list[LedgerRow]) -> list[MigrationStatus]:
    """Every file and every ledger row, side by side (pure).

    A file without a row is pending (platform-stub files only once the stub is in use); a row whose
    checksum differs from its file is modified; a row without a file is missing."""
    applied = {row.migration_id: row for row in ledger}
    stub_in_use = any(row.migration_set == PLATFORM_STUB for row in ledger)
    result = []
    for file in files:
        row = applied.get(file.id)
        if row is None:
            if not file.is_platform_stub or stub_in_use:
                result.append(MigrationStatus(file.id, file.set_name, "pending", file_checksum=file.checksum))
            continue
        state: State = "applied" if row.checksum == file.checksum else "modified"
        result.append(MigrationStatus(file.id, file.set_name, state, row.applied_at, file.checksum, row.checksum))
    known = {file.id for file in files}
    result += [
        MigrationStatus(row.migration_id, row.migration_set, "missing", row.applied_at, None, row.checksum)
        for row in ledger
        if row.migration_id not in known
    ]
    return result


def drifted(files: list[MigrationFile], ledger: list[LedgerRow]) -> list[MigrationStatus]:
    """The applied migrations whose file changed (modified) or disappeared (missing), in ledger order."""
    by_id = {item.id: item for item in compare(files, ledger) if item.state in ("modified", "missing")}
    return [by_id[row.migration_id] for row in ledger if row.migration_id in by_id]


def reject_drift(files: list[MigrationFile], ledger: list[LedgerRow]) -> None:
    """:raises MigrationError: an applied migration's file changed or is missing."""
    bad = [item for item in compare(files, ledger) if item.state in ("modified", "missing")]
    if bad:
        names = ", ".join(f"{item.id} ({item.state})" for item in bad)
        raise MigrationError(
            f"applied migrations differ from the files: {names}",
            hint="restore the applied files; never edit an applied migration, add a new one",
        )


def reject_missing(files: list[MigrationFile], ledger: list[LedgerRow]) -> None:
    """:raises MigrationError: an applied migration has no file (it could not be rolled back)."""
    missing = sorted(item.id for item in compare(files, ledger) if item.state == "missing")
    if missing:
        raise MigrationError(f"applied migrations have no file: {', '.join(missing)}")


# Waits are reported through logging (the CLI shows this logger's records on stderr).
waits = logging.getLogger("healthschema.waits")
WAIT_REPORT_SECONDS = 1.0


@contextmanager
def migration_lock(url: str, meta_schema: str, timeout: float) -> Iterator[None]:
    """Hold the run's advisory lock on a dedicated connection.

    :raises LockTimeoutError: another run held it for ``timeout`` seconds.
    """
    with db.connection(url, autocommit=True) as conn:
        started = time.monotonic()
        deadline = started + timeout
        params: dict[str, Any] = {"lock_key": lock_key(meta_schema)}
        next_report = started + WAIT_REPORT_SECONDS
        while not db.fetch_value(conn, "ledger/lock_try", params):
            now = time.monotonic()
            if now >= next_report or now >= deadline:
                holder = db.fetch_all(conn, "ledger/lock_holder", params)
                who = f"process {holder[0][0]} ({holder[0][1] or 'unknown client'})" if holder else "another run"
                if now < deadline:  # say why nothing happens, after a second and then every 10 s
                    waits.info("waiting for the migration lock held by %s (%.0fs of %gs)", who, now - started, timeout)
                    next_report = now + 10
                    time.sleep(LOCK_POLL_SECONDS)
                    continue
                raise LockTimeoutError(
                    f"{who} holds the migration lock; gave up after {timeout:g}s",
                    hint="wait for the other run to finish, or raise [runner] lock_timeout_seconds",
                )
            time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            db.fetch_value(conn, "ledger/lock_release", params)
