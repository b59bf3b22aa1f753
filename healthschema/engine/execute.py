"""Execute a plan over yoyo: each migration atomic with its ledger row, progress reported per step.

The caller holds the migration lock and has run whatever checks the plan needs
(:mod:`healthschema.operations`); this module only runs migrations.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import psycopg
from yoyo import read_migrations

from healthschema.engine.plan import Direction, Step
from healthschema.engine.yoyo_backend import LedgerBackend
from healthschema.errors import MigrationError
from healthschema.files.migration_files import MigrationFile
from healthschema.pg import connect as db

Progress = Callable[[str, Step], None]


def no_progress(phase: str, step: Step) -> None:
    return None


def execute(
    url: str, meta_schema: str, plan: list[MigrationFile], direction: Direction, progress: Progress = no_progress,
) -> list[Step]:
    """Run ``plan`` in order; returns the steps with their durations.

    The ledger must exist (:func:`healthschema.pg.ledger.ensure`) before applying.

    :raises MigrationError: a migration failed; nothing of it was kept (earlier ones stay).
    """
    if not plan:
        return []
    sources = sorted({str(f.path.parent) for f in plan})
    by_id = {m.id: m for m in read_migrations(*sources)}
    backend = LedgerBackend(url, meta_schema, {f.id: f for f in plan})
    done = []
    try:
        for file in plan:
            step = Step(direction, file)
            progress("start", step)
            started = time.perf_counter()
            try:
                if direction == "apply":
                    backend.apply_one(by_id[file.id])
                else:
                    backend.rollback_one(by_id[file.id])
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
