"""The migration runner: status, apply and rollback over yoyo's Python API.

Each run holds one PostgreSQL advisory lock (polled, with a timeout); each migration is
atomic with its bookkeeping (see :mod:`healthschema.yoyo_backend`); a sha256 ledger lets
``status`` report applied files that were edited afterwards.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import psycopg
from yoyo import read_migrations

from healthschema import db, rollback_safety
from healthschema.errors import ConfigError, LockTimeoutError, MigrationError
from healthschema.migration_files import MigrationFile, read_all, resolve_version
from healthschema.project import PLATFORM_STUB, Project
from healthschema.yoyo_backend import LedgerBackend

State = Literal["applied", "pending", "modified", "missing"]
LOCK_POLL_SECONDS = 0.2


@dataclass(frozen=True)
class LedgerRow:
    migration_id: str
    migration_set: str
    checksum: str
    applied_at: datetime
    duration_ms: int


@dataclass(frozen=True)
class MigrationStatus:
    """One migration's state: applied, pending, modified (edited after applying) or missing."""

    id: str
    set_name: str
    state: State
    applied_at: datetime | None = None


@dataclass(frozen=True)
class StatusReport:
    migrations: list[MigrationStatus]

    def ids(self, state: State) -> list[str]:
        return [item.id for item in self.migrations if item.state == state]


@dataclass(frozen=True)
class Step:
    """A migration run (or, with dry-run, planned) in one direction."""

    direction: Literal["apply", "rollback"]
    migration: MigrationFile
    duration_ms: int | None = None

    @property
    def sql(self) -> str:
        if self.direction == "apply":
            return self.migration.sql
        return self.migration.rollback_sql or ""


@dataclass(frozen=True)
class RunResult:
    steps: list[Step]
    dry_run: bool
    data_loss: list[rollback_safety.DataLoss] = field(default_factory=list)


Progress = Callable[[str, Step], None]


def _no_progress(phase: str, step: Step) -> None:
    return None


def read_ledger(conn: db.Connection, meta_schema: str) -> list[LedgerRow]:
    """The applied migrations recorded in the ledger (empty before the first apply)."""
    if not db.fetch_value(conn, "ledger_exists.sql", {"schema": meta_schema}):
        return []
    rows = db.fetch_all(conn, "ledger_rows.sql", schema=meta_schema)
    return [LedgerRow(r[0], r[1], r[2], r[4], r[5]) for r in rows]


def _statuses(files: list[MigrationFile], ledger: list[LedgerRow]) -> list[MigrationStatus]:
    applied = {row.migration_id: row for row in ledger}
    stub_in_use = any(row.migration_set == PLATFORM_STUB for row in ledger)
    result = []
    for file in files:
        row = applied.get(file.id)
        if row is None:
            if file.set_name != PLATFORM_STUB or stub_in_use:
                result.append(MigrationStatus(file.id, file.set_name, "pending"))
            continue
        state: State = "applied" if row.checksum == file.checksum else "modified"
        result.append(MigrationStatus(file.id, file.set_name, state, row.applied_at))
    known = {file.id for file in files}
    result += [
        MigrationStatus(row.migration_id, row.migration_set, "missing", row.applied_at)
        for row in ledger
        if row.migration_id not in known
    ]
    return result


def status(project: Project, url: str) -> StatusReport:
    """Applied, pending, modified and missing migrations. Read-only."""
    files = read_all(project)
    with db.connection(url) as conn:
        ledger = read_ledger(conn, project.meta_schema)
    return StatusReport(_statuses(files, ledger))


@contextmanager
def migration_lock(url: str, meta_schema: str, timeout: float) -> Iterator[None]:
    """Hold the run's advisory lock on a dedicated connection.

    :raises LockTimeoutError: another run held it for ``timeout`` seconds.
    """
    with db.connection(url, autocommit=True) as conn:
        deadline = time.monotonic() + timeout
        params = {"schema": meta_schema}
        while not db.fetch_value(conn, "lock_try.sql", params):
            if time.monotonic() >= deadline:
                holder = db.fetch_all(conn, "lock_holder.sql", params)
                who = f"process {holder[0][0]} ({holder[0][1] or 'unknown client'})" if holder else "another run"
                raise LockTimeoutError(
                    f"{who} holds the migration lock; gave up after {timeout:g}s",
                    hint="wait for the other run to finish, or raise [runner] lock_timeout_seconds",
                )
            time.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            db.fetch_value(conn, "lock_release.sql", params)


def _reject_modified(files: list[MigrationFile], ledger: list[LedgerRow]) -> None:
    statuses = _statuses(files, ledger)
    bad = [item for item in statuses if item.state in ("modified", "missing")]
    if bad:
        names = ", ".join(f"{item.id} ({item.state})" for item in bad)
        raise MigrationError(
            f"applied migrations differ from the files: {names}",
            hint="restore the applied files; never edit an applied migration, add a new one",
        )


def _apply_plan(
    files: list[MigrationFile], ledger: list[LedgerRow], to: str | None, with_stub: bool
) -> list[MigrationFile]:
    applied = {row.migration_id for row in ledger}
    candidates = [f for f in files if with_stub or f.set_name != PLATFORM_STUB]
    if to is not None:
        target = resolve_version(files, to)
        candidates = candidates[: candidates.index(target) + 1] if target in candidates else []
    return [f for f in candidates if f.id not in applied]


def _rollback_plan(
    files: list[MigrationFile], ledger: list[LedgerRow], steps: int | None, to: str | None, all_: bool
) -> list[MigrationFile]:
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
    return applied[:count]


def _execute(
    project: Project, url: str, plan: list[MigrationFile], direction: Literal["apply", "rollback"],
    progress: Progress,
) -> list[Step]:
    sources = sorted({str(f.path.parent) for f in plan})
    by_id = {m.id: m for m in read_migrations(*sources)}
    backend = LedgerBackend(url, project.meta_schema, {f.id: f for f in plan}, project.statement_lock_timeout_ms)
    done = []
    try:
        for file in plan:
            step = Step(direction, file)
            progress("start", step)
            started = time.perf_counter()
            try:
                getattr(backend, f"{direction}_one")(by_id[file.id])
            except psycopg.Error as exc:
                raise MigrationError(
                    f"{file.id} failed to {direction}: {db.describe_error(exc)}",
                    hint="nothing of this migration was kept; fix it and run again",
                ) from exc
            step = Step(direction, file, round((time.perf_counter() - started) * 1000))
            progress("done", step)
            done.append(step)
    finally:
        backend.connection.close()
    return done


def _prepare(conn: db.Connection, meta_schema: str) -> None:
    db.execute_file(conn, "ledger_create.sql", schema=meta_schema)


def apply(
    project: Project, url: str, *, to: str | None = None, dry_run: bool = False,
    with_platform_stub: bool = False, progress: Progress = _no_progress,
    precheck: Callable[[], None] | None = None,
) -> RunResult:
    """Apply pending migrations (up to ``to``), each in its own transaction, under the lock.

    ``precheck`` (e.g. the preflight) runs while the lock is held and before anything is
    written, so that it never sees another run half-way; it raises to stop the run.

    :raises MigrationError: a migration failed (it left no trace) or an applied file changed.
    :raises LockTimeoutError: another run holds the lock.
    """
    files = read_all(project)
    if dry_run:
        if precheck is not None:
            precheck()
        with db.connection(url) as conn:
            ledger = read_ledger(conn, project.meta_schema)
        _reject_modified(files, ledger)
        plan = _apply_plan(files, ledger, to, with_platform_stub)
        return RunResult([Step("apply", f) for f in plan], dry_run=True)
    with migration_lock(url, project.meta_schema, project.lock_timeout_seconds):
        if precheck is not None:
            precheck()
        with db.connection(url, autocommit=True) as conn:
            _prepare(conn, project.meta_schema)
            ledger = read_ledger(conn, project.meta_schema)
        _reject_modified(files, ledger)
        plan = _apply_plan(files, ledger, to, with_platform_stub)
        return RunResult(_execute(project, url, plan, "apply", progress), dry_run=False)


def rollback(
    project: Project, url: str, *, steps: int | None = None, to: str | None = None,
    all_: bool = False, dry_run: bool = False, progress: Progress = _no_progress, allow_data_loss: bool = False,
) -> RunResult:
    """Roll back applied migrations: one by default, ``steps`` of them, all after ``to``, or all.

    :raises ConfigError: conflicting options or an unknown version.
    :raises MigrationError: a rollback failed (nothing of it was kept).
    :raises DataLossError: it would drop tables/columns holding rows, without ``allow_data_loss``
        (see :mod:`healthschema.rollback_safety`).
    """
    files = read_all(project)
    if dry_run:
        with db.connection(url) as conn:
            ledger = read_ledger(conn, project.meta_schema)
        plan = _rollback_plan(files, ledger, steps, to, all_)
        loss = rollback_safety.measure(url, project.meta_schema, plan)
        return RunResult([Step("rollback", f) for f in plan], dry_run=True, data_loss=loss)
    with migration_lock(url, project.meta_schema, project.lock_timeout_seconds):
        with db.connection(url) as conn:
            ledger = read_ledger(conn, project.meta_schema)
        missing = {row.migration_id for row in ledger} - {f.id for f in files}
        if missing:
            raise MigrationError(f"applied migrations have no file: {', '.join(sorted(missing))}")
        plan = _rollback_plan(files, ledger, steps, to, all_)
        loss = rollback_safety.check(url, project.meta_schema, plan, allow_data_loss)
        return RunResult(_execute(project, url, plan, "rollback", progress), dry_run=False, data_loss=loss)
