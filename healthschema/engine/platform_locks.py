"""How long a run holds locks that block the platform's writers (issue 9 item 1).

A foreign key to ``clients``, ``organizations`` or ``auth.users`` takes a SHARE ROW EXCLUSIVE lock
on the referenced table until commit; while it is held, sign-ups and client edits wait. The meter
asks the catalog (``pg_locks`` of the migration's own session) after every migration step which
platform tables it holds in a mode that conflicts with ROW EXCLUSIVE, and measures from the start
of the first step that took such a lock to the commit: the time platform writers could have been
blocked by this transaction. (Its waits for locks it did not get are bounded by the lock_timeout.)
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from healthschema.pg import connect as db


@dataclass
class PlatformLockMeter:
    """Measures one run: ``tables`` = the platform tables as (schema, table)."""

    tables: list[tuple[str, str]]
    max_ms: float = 0.0  # the longest hold of any committed transaction of the run
    held: set[str] = field(default_factory=set)  # "schema.table (mode)" seen in a committed transaction
    _first: float | None = None
    _seen: set[str] = field(default_factory=set)

    def held_now(self, conn: db.Connection) -> list[str]:
        """The writer-blocking locks this session holds on platform tables now."""
        if not self.tables:
            return []
        params = {"schemas": [t[0] for t in self.tables], "tables": [t[1] for t in self.tables]}
        return [str(r[0]) for r in db.fetch_all(conn, "engine/platform_locks", params)]

    def keep_existing(self, url: str) -> None:
        """Measure only the platform tables that exist before the run (the stub creates the others)."""
        if self.tables:
            with db.connection(url, autocommit=True) as conn:
                self.tables = [(str(r[0]), str(r[1])) for r in db.fetch_all(
                    conn, "engine/platform_tables_existing",
                    {"schemas": [t[0] for t in self.tables], "tables": [t[1] for t in self.tables]})]

    def begin(self) -> None:
        """A new transaction (or a retry of one)."""
        self._first, self._seen = None, set()

    def after_step(self, conn: db.Connection, step_started: float) -> None:
        found = self.held_now(conn)
        if found and self._first is None:
            self._first = step_started
        self._seen.update(found)

    def committed(self) -> None:
        if self._first is not None:
            self.max_ms = max(self.max_ms, round((time.perf_counter() - self._first) * 1000, 1))
        self.held |= self._seen
        self.begin()
