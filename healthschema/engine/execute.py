"""Execute a plan over yoyo: each migration atomic with its ledger row, progress reported per step.

The caller holds the migration lock and has run whatever checks the plan needs
(:mod:`healthschema.operations`); this module only runs migrations.

Transaction modes (``[runner] transaction_mode``, docs/deploying.md):

* ``all`` (the default): every transactional migration of the plan runs in **one** transaction
  (each one a savepoint inside it), so a failure anywhere leaves the database exactly at the
  previous version. Migrations marked ``-- transactional: false`` (e.g. CREATE INDEX
  CONCURRENTLY) run after it commits, one by one, each recorded as it completes, so a re-run
  resumes with the first one not recorded.
* ``per_migration``: each migration commits on its own (a failure keeps the earlier ones).

Every transaction runs with ``lock_timeout`` and ``statement_timeout`` (``[runner]
statement_lock_timeout_seconds`` / ``statement_timeout_seconds``), so platform traffic never
queues behind a migration for longer than one lock timeout. A lock timeout rolls the
transaction back and retries it with exponential backoff until ``lock_retry_budget_seconds`` is
spent; while a migration waits for a lock, a watcher names who holds it (``waiting`` progress).

``rehearse`` runs the transactional part the same way and rolls it back at the end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import psycopg
from psycopg import errors as pg_errors
from yoyo import read_migrations

from healthschema.engine import backfill
from healthschema.engine.plan import Direction, Step
from healthschema.engine.platform_locks import PlatformLockMeter
from healthschema.engine.yoyo_backend import LedgerBackend
from healthschema.errors import LockTimeoutError, MigrationError
from healthschema.files.migration_files import MigrationFile
from healthschema.pg import connect as db
from healthschema.pg import ledger

Progress = Callable[[str, Step], None]
TransactionMode = Literal["all", "per_migration"]
WAIT_REPORT_SECONDS = 1.0


@dataclass(frozen=True)
class LockSettings:
    """Per-transaction timeouts and the retry budget (``[runner]``)."""

    lock_timeout_seconds: float = 5.0
    statement_timeout_seconds: float = 600.0
    retry_budget_seconds: float = 60.0
    backfill_batch_size: int = 1000  # a rehearsal runs the back-fills inside its transaction
    meter: PlatformLockMeter | None = None  # measures how long platform writers could be blocked


def no_progress(phase: str, step: Step) -> None:
    return None


class _Rehearsed(Exception):
    """Raised inside the rehearsal transaction to roll it back after the last step."""


def execute(
    url: str, meta_schema: str, plan: list[MigrationFile], direction: Direction, progress: Progress = no_progress,
    allow_data_loss: bool = False, lock_timeout_ms: int = 0,
    *, mode: TransactionMode = "all", locks: LockSettings | None = None, rehearse: bool = False,
    inside: Callable[[db.Connection], None] | None = None,
) -> list[Step]:
    """Run ``plan`` in order; returns the steps with their durations. Every migration runs with
    ``lock_timeout_ms`` as its lock_timeout (0: none).

    The ledger must exist (:func:`healthschema.pg.ledger.ensure`) before applying. With
    ``allow_data_loss`` the session setting ``healthschema.allow_data_loss`` is ``on``: rollbacks
    that refuse to delete edited rows otherwise (e.g. of ``milestone new`` templates) read it. With
    ``rehearse``, ``inside`` runs on the migration connection after the last step, before the
    rollback, so it sees the result (deploy --rehearse verifies and policy-checks there).

    :raises MigrationError: a migration failed; with ``mode="all"`` nothing of the plan's
        transactional part was kept, with ``per_migration`` the earlier migrations stay.
    :raises LockTimeoutError: a lock was not granted within the retry budget; nothing of that
        transaction was kept.
    """
    if not plan:
        return []
    locks = locks or LockSettings(lock_timeout_ms / 1000)
    sources = sorted({str(f.path.parent) for f in plan})
    by_id = {m.id: m for m in read_migrations(*sources)}
    backend = LedgerBackend(url, meta_schema, {f.id: f for f in plan}, lock_timeout_ms)
    try:
        if allow_data_loss:
            db.fetch_value(backend.connection, "engine/allow_data_loss")
        backend.ensure_internal_schema_updated()  # yoyo's tables; it cannot create them inside a transaction
        if mode == "per_migration" and not rehearse:
            done: list[Step] = []
            for file in plan:
                done += _with_retries(backend, [file], by_id, direction, progress, locks, rehearse=False)
            return done
        together = [f for f in plan if f.transactional]
        alone = [f for f in plan if not f.transactional]
        done = _with_retries(backend, together, by_id, direction, progress, locks, rehearse=rehearse, inside=inside)
        if rehearse:
            return done + [Step(direction, f) for f in alone]  # not run: they cannot run in a transaction
        for file in alone:
            done += _with_retries(backend, [file], by_id, direction, progress, locks, rehearse=False)
        return done
    finally:
        backend.connection.close()


def _with_retries(
    backend: LedgerBackend, files: list[MigrationFile], by_id: dict[str, Any], direction: Direction,
    progress: Progress, locks: LockSettings, *, rehearse: bool,
    inside: Callable[[db.Connection], None] | None = None,
) -> list[Step]:
    """Run ``files`` in one transaction (a non-transactional one on its own), retrying the whole
    transaction after a lock timeout with exponential backoff within the budget."""
    if not files:
        return []
    deadline = time.monotonic() + locks.retry_budget_seconds
    delay = 0.5
    attempt = 1
    while True:
        try:
            return _one_transaction(backend, files, by_id, direction, progress, locks, rehearse=rehearse,
                                    inside=inside)
        except _LockTimeout as exc:
            if time.monotonic() + delay > deadline:
                raise LockTimeoutError(
                    f"{exc.file.id}: a lock was not granted within {locks.lock_timeout_seconds:g}s (SQLSTATE 55P03), "
                    f"{attempt} attempt(s) in {locks.retry_budget_seconds:g}s; {exc.blockers or 'blocker unknown'}; "
                    "nothing of this transaction was kept",
                    hint="retry when the blocking sessions are done, or raise [runner] lock_retry_budget_seconds",
                ) from exc
            progress(f"retry {attempt} in {delay:g}s after a lock timeout ({exc.blockers or 'blocker unknown'})",
                     Step(direction, exc.file))
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
            attempt += 1


class _LockTimeout(Exception):
    def __init__(self, file: MigrationFile, blockers: str) -> None:
        super().__init__(file.id)
        self.file = file
        self.blockers = blockers


def _one_transaction(
    backend: LedgerBackend, files: list[MigrationFile], by_id: dict[str, Any], direction: Direction,
    progress: Progress, locks: LockSettings, *, rehearse: bool,
    inside: Callable[[db.Connection], None] | None = None,
) -> list[Step]:
    done: list[Step] = []
    transactional = files[0].transactional
    current: list[MigrationFile] = [files[0]]
    meter = locks.meter or PlatformLockMeter([])
    meter.begin()
    with _watch(backend, current, direction, progress) as blockers:
        try:
            if transactional:
                with backend.transaction():
                    _timeouts(backend, locks, local=True)
                    for file in files:
                        current[0] = file
                        done.append(_measured(backend, file, by_id, direction, progress, meter))
                    if rehearse:
                        meter.committed()  # the DDL part; the rehearsal's back-fill runs in it too
                        backfill.drain_recorded(backend.connection, backend.meta_schema, locks.backfill_batch_size,
                                                {f.id for f in files if f.backfill and direction == "apply"})
                        if inside is not None:
                            backend.connection.execute(db.packaged_query("engine/search_path_local_default"))
                            inside(backend.connection)
                        raise _Rehearsed
                meter.committed()
            else:
                _timeouts(backend, locks, local=False)
                done.append(_measured(backend, files[0], by_id, direction, progress, meter))
                meter.committed()
        except _Rehearsed:
            return done
        except pg_errors.LockNotAvailable as exc:
            raise _LockTimeout(current[0], blockers()) from exc
        except psycopg.Error as exc:
            if isinstance(exc.__cause__, pg_errors.LockNotAvailable):
                raise _LockTimeout(current[0], blockers()) from exc
            kept = ("nothing of this run's transaction was kept" if transactional and len(files) > 1
                    else "nothing of this migration was kept")
            raise MigrationError(f"{current[0].id} failed to {direction}: {db.describe_error(exc)}",
                                 hint=f"{kept}; fix it and run again") from exc
        finally:
            if not transactional:
                _timeouts(backend, LockSettings(0, 0, 0), local=False)
    return done


def _measured(
    backend: LedgerBackend, file: MigrationFile, by_id: dict[str, Any], direction: Direction, progress: Progress,
    meter: PlatformLockMeter,
) -> Step:
    started = time.perf_counter()
    step = _run_one(backend, file, by_id, direction, progress)
    if not file.is_platform_stub:  # the stub creates the platform tables; their locks are not a deploy's
        meter.after_step(backend.connection, started)
    return step


def _run_one(
    backend: LedgerBackend, file: MigrationFile, by_id: dict[str, Any], direction: Direction, progress: Progress,
) -> Step:
    step = Step(direction, file)
    progress("start", step)
    started = time.perf_counter()
    if direction == "apply":
        backend.apply_one(by_id[file.id])
    else:
        backend.rollback_one(by_id[file.id])
    step = Step(direction, file, round((time.perf_counter() - started) * 1000))
    progress("done", step)
    return step


def _timeouts(backend: LedgerBackend, locks: LockSettings, *, local: bool) -> None:
    db.execute_file(backend.connection, "engine/timeouts_local" if local else "engine/timeouts_session",
                    {"lock_timeout": f"{int(locks.lock_timeout_seconds * 1000)}ms",
                     "statement_timeout": f"{int(locks.statement_timeout_seconds * 1000)}ms"})


@contextmanager
def _watch(
    backend: LedgerBackend, current: list[MigrationFile], direction: Direction, progress: Progress,
) -> Iterator[Callable[[], str]]:
    """While the block runs, report (once a second) the sessions the migration waits for."""
    pid = backend.connection.info.backend_pid
    url = backend.target_url
    stop = threading.Event()
    last: list[str] = [""]

    def holders(conn: db.Connection) -> str:
        rows = db.fetch_all(conn, "engine/blockers", {"pid": pid})
        return ", ".join(f"pid {r[0]} ({r[1] or 'no application name'}: {r[2]})" for r in rows)

    def watch() -> None:
        try:
            with db.connection(url, autocommit=True) as conn:
                waited = 0.0
                while not stop.wait(0.25):
                    found = holders(conn)
                    waited = waited + 0.25 if found else 0.0
                    if found:
                        last[0] = f"held by {found}"
                    if found and waited >= WAIT_REPORT_SECONDS and abs(waited % 5 - WAIT_REPORT_SECONDS) < 0.01:
                        progress(f"waiting for a lock {last[0]}", Step(direction, current[0]))
        except Exception:  # noqa: BLE001 - the watcher only reports; it must never break the run
            return

    thread = threading.Thread(target=watch, name="healthschema-lock-watch", daemon=True)
    thread.start()
    try:
        yield lambda: last[0]
    finally:
        stop.set()
        thread.join(timeout=2)


def mark(url: str, meta_schema: str, files: list[MigrationFile]) -> None:
    """Record ``files`` as applied without running them (``adopt``), in one transaction."""
    if not files:
        return
    sources = sorted({str(f.path.parent) for f in files})
    by_id = {m.id: m for m in read_migrations(*sources)}
    backend = LedgerBackend(url, meta_schema, {f.id: f for f in files})
    try:
        backend.ensure_internal_schema_updated()
        with backend.transaction():
            for file in files:
                backend.mark_one(by_id[file.id], log=False)
                ledger.record_applied(backend.connection, meta_schema, file, 0)
    finally:
        backend.connection.close()
