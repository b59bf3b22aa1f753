"""The back-fill phase: post-commit data steps of migrations, in resumable batches.

A migration headed ``-- backfill: schema.function`` declares a data step (e.g. the milestones of
every existing client). It does not run inside the DDL transaction, which holds writer-blocking
locks on platform tables until commit: the migration only records a pending row in
``<meta schema>.backfill`` (with its ledger row), and after the DDL commits the runner calls the
function in batches of ``[runner] backfill_batch_size`` keys, each batch its own short
transaction that also advances the ledger row (last key, batches, keys). An interrupted
back-fill therefore resumes after its last committed batch on the next ``apply``.

The function's contract: ``function(p_after text, p_limit integer) RETURNS TABLE (last_key text,
keys integer, remaining bigint)`` covers the next ``p_limit`` keys after ``p_after`` (NULL: from
the first) and returns the last key covered (NULL when none is left) and how many; ``p_limit = 0``
covers nothing and returns in ``remaining`` how many keys are left (for the progress total).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from healthschema.errors import LockTimeoutError, MigrationError
from healthschema.pg import connect as db
from healthschema.pg import ledger


@dataclass
class BackfillResult:
    """One back-fill's progress in this run (and before it: ``batches_done`` counts all)."""

    migration_id: str
    function: str
    batches_done: int
    batches_total: int
    keys_done: int
    finished: bool = False
    seconds: float = 0.0
    keys_this_run: int = 0
    platform_locks: list[str] = field(default_factory=list)  # writer-blocking locks a batch held (expected: none)

    @property
    def keys_per_s(self) -> float:
        return round(self.keys_this_run / self.seconds, 1) if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"migration": self.migration_id, "function": self.function, "finished": self.finished,
                "batches_done": self.batches_done, "batches_total": self.batches_total,
                "keys_done": self.keys_done, "seconds": round(self.seconds, 3), "keys_per_s": self.keys_per_s,
                "platform_locks": self.platform_locks}


OnBatch = Callable[[BackfillResult], None]
LockCheck = Callable[[db.Connection], list[str]]


def no_batch(result: BackfillResult) -> None:
    return None


def _no_locks(conn: db.Connection) -> list[str]:
    return []


def call(conn: db.Connection, function: tuple[str, str], after: str | None, limit: int) -> tuple[Any, ...]:
    """One call of a back-fill function: (last_key, keys, remaining)."""
    rows = db.fetch_all(conn, "engine/backfill_batch", {"after": after, "limit": limit},
                        schema=function[0], function=function[1])
    return rows[0] if rows else (None, 0, 0)


def drain(conn: db.Connection, function: tuple[str, str], batch_size: int) -> int:
    """Run a back-fill function to the end on ``conn`` inside the caller's transaction (the
    rollback-safety trial); returns the keys covered. No ledger."""
    after, keys = None, 0
    while True:
        last, covered, _ = call(conn, function, after, batch_size)
        if last is None:
            return keys
        after, keys = last, keys + int(covered)


def drain_recorded(conn: db.Connection, meta_schema: str, batch_size: int, migration_ids: set[str]) -> None:
    """The recorded back-fills of ``migration_ids`` to the end, in the caller's transaction, ledger
    rows advanced as for real (a rehearsal: it is all rolled back afterwards)."""
    for row in ledger.read_backfills(conn, meta_schema):
        if row.migration_id in migration_ids and not row.finished:
            after = row.last_key
            while True:
                last, covered, _ = call(conn, row.function, after, batch_size)
                if last is None:
                    _finish(conn, meta_schema, row.migration_id)
                    break
                _advance(conn, meta_schema, row.migration_id, last, int(covered))
                after = last


def _advance(conn: db.Connection, meta_schema: str, migration_id: str, last: str, keys: int) -> None:
    db.execute_file(conn, "ledger/backfill_progress", {"migration_id": migration_id, "last_key": last, "keys": keys},
                    schema=meta_schema)


def _finish(conn: db.Connection, meta_schema: str, migration_id: str) -> None:
    db.execute_file(conn, "ledger/backfill_finish", {"migration_id": migration_id}, schema=meta_schema)


@dataclass(frozen=True)
class BatchSettings:
    batch_size: int = 1000
    lock_timeout_seconds: float = 5.0
    statement_timeout_seconds: float = 600.0
    retry_budget_seconds: float = 60.0


def run(
    url: str, meta_schema: str, settings: BatchSettings, *, on_batch: OnBatch = no_batch,
    lock_check: LockCheck = _no_locks,
) -> list[BackfillResult]:
    """Every unfinished recorded back-fill, in ledger order, batch by batch (each batch commits
    with its ledger progress). ``lock_check`` lists the writer-blocking platform locks a batch
    holds before it commits (:class:`~healthschema.engine.platform_locks.PlatformLockMeter`).

    :raises LockTimeoutError: a batch did not get a lock within the retry budget; the batches
        before it stay committed and the next apply resumes there.
    """
    results = []
    with db.connection(url, autocommit=True) as conn:
        for row in ledger.read_backfills(conn, meta_schema):
            if not row.finished:
                results.append(_run_one(conn, meta_schema, row, settings, on_batch, lock_check))
    return results


def _run_one(
    conn: db.Connection, meta_schema: str, row: ledger.BackfillRow, settings: BatchSettings,
    on_batch: OnBatch, lock_check: LockCheck,
) -> BackfillResult:
    remaining = int(call(conn, row.function, row.last_key, 0)[2] or 0)
    result = BackfillResult(row.migration_id, ".".join(row.function), row.batches_done,
                            row.batches_done + math.ceil(remaining / settings.batch_size), row.keys_done)
    after = row.last_key
    started = time.perf_counter()
    while True:
        last, covered, held = _with_retries(conn, meta_schema, row, after, settings, lock_check)
        result.seconds = time.perf_counter() - started
        result.platform_locks = sorted(set(result.platform_locks) | set(held))
        if last is None:
            result.finished = True
            result.batches_total = result.batches_done
            return result
        after = last
        result.batches_done += 1
        result.batches_total = max(result.batches_total, result.batches_done)
        result.keys_done += covered
        result.keys_this_run += covered
        on_batch(result)


def _with_retries(
    conn: db.Connection, meta_schema: str, row: ledger.BackfillRow, after: str | None, settings: BatchSettings,
    lock_check: LockCheck,
) -> tuple[str | None, int, list[str]]:
    """One batch in its own transaction (with its ledger progress); a lock timeout retries it
    with backoff within the budget."""
    deadline = time.monotonic() + settings.retry_budget_seconds
    delay = 0.5
    while True:
        try:
            with conn.transaction():
                db.execute_file(conn, "engine/timeouts_local", {
                    "lock_timeout": f"{int(settings.lock_timeout_seconds * 1000)}ms",
                    "statement_timeout": f"{int(settings.statement_timeout_seconds * 1000)}ms"})
                last, covered, _ = call(conn, row.function, after, settings.batch_size)
                if last is None:
                    _finish(conn, meta_schema, row.migration_id)
                else:
                    _advance(conn, meta_schema, row.migration_id, last, int(covered))
                held = lock_check(conn)
            return last, int(covered or 0), held
        except pg_errors.LockNotAvailable as exc:
            if time.monotonic() + delay > deadline:
                raise LockTimeoutError(
                    f"back-fill of {row.migration_id}: a lock was not granted within "
                    f"{settings.lock_timeout_seconds:g}s; the batches before it are committed",
                    hint="run `healthschema apply` again to resume the back-fill",
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
        except psycopg.Error as exc:
            raise MigrationError(
                f"back-fill of {row.migration_id} failed: {db.describe_error(exc)}",
                hint="the DDL and the batches before this one are committed; fix it and run `healthschema apply` "
                     "to resume the back-fill",
            ) from exc
