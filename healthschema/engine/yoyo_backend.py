"""A yoyo backend that records each migration atomically with its checksum.

yoyo applies a migration on a second connection and records it afterwards, in another
transaction; a crash between the two leaves it applied but unrecorded. This backend runs
the steps, yoyo's bookkeeping rows and our ledger row in one transaction on one connection.
Bookkeeping lives in the meta schema; migration statements run with the database's default
``search_path``. Locking is done by :mod:`healthschema.pg.ledger` (a PostgreSQL advisory lock),
so yoyo's lock table is not used.
"""

from __future__ import annotations

import contextlib
import io
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from yoyo.backends.core.postgresql import PostgresqlPsycopgBackend

from healthschema.files.migration_files import MigrationFile
from healthschema.pg import connect as db
from healthschema.pg import ledger

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Uri:
    """The part of yoyo's DatabaseURI that its PostgreSQL backend reads."""

    database: str


class LedgerBackend(PostgresqlPsycopgBackend):  # type: ignore[misc]
    """yoyo's psycopg 3 backend over :func:`healthschema.pg.connect.connect`."""

    migration_table = "_yoyo_migration"

    def __init__(
        self, url: str, meta_schema: str, files: dict[str, MigrationFile], lock_timeout_ms: int = 0
    ) -> None:
        self._url = url
        self.meta_schema = meta_schema
        self.files = files
        self.lock_timeout_ms = lock_timeout_ms
        super().__init__(dburi=_Uri(db.database_name(url)), migration_table=self.migration_table)

    @property
    def target_url(self) -> str:
        return self._url

    def connect(self, dburi: Any) -> db.Connection:
        return db.connect(self._url, autocommit=True)

    def init_connection(self, connection: db.Connection) -> None:
        connection.execute(db.packaged_query("engine/search_path_meta", schema=self.meta_schema))

    def copy(self) -> LedgerBackend:
        return LedgerBackend(self._url, self.meta_schema, self.files, self.lock_timeout_ms)

    @contextmanager
    def lock(self, timeout: int = 10) -> Iterator[None]:
        yield  # the runner holds a PostgreSQL advisory lock for the whole run

    def _process_steps(self, migration: Any, direction: str) -> None:
        # yoyo writes the rows of any SELECT in a migration to stdout; the library never prints.
        output = io.StringIO()
        with contextlib.redirect_stdout(output):
            migration.process_steps(self, direction)
        if output.getvalue():
            logger.debug("%s output:\n%s", migration.id, output.getvalue())

    def _run_steps(self, migration: Any, direction: str) -> None:
        conn = self.connection
        lock_timeout = {"value": f"{self.lock_timeout_ms}ms", "local": migration.use_transactions}
        if migration.use_transactions:
            conn.execute(db.packaged_query("engine/search_path_local_default"))
            db.execute_file(conn, "engine/lock_timeout_set", lock_timeout)
            self._process_steps(migration, direction)
            conn.execute(db.packaged_query("engine/search_path_local_meta", schema=self.meta_schema))
        else:
            conn.execute(db.packaged_query("engine/search_path_default"))
            db.execute_file(conn, "engine/lock_timeout_set", lock_timeout)
            try:
                self._process_steps(migration, direction)
            finally:
                db.execute_file(conn, "engine/lock_timeout_set", {"value": "0", "local": False})
                self.init_connection(conn)

    def _record(self, direction: str, migration: Any, started: float) -> None:
        file = self.files[migration.id]
        duration_ms = round((time.perf_counter() - started) * 1000)
        if direction == "apply":
            self.mark_one(migration, log=False)
            ledger.record_applied(self.connection, self.meta_schema, file, duration_ms)
            ledger.record_backfill(self.connection, self.meta_schema, file)
        else:
            self.unmark_one(migration, log=False)
            ledger.record_rolled_back(self.connection, self.meta_schema, file)
        self.log_migration(migration, direction)

    def _process(self, migration: Any, direction: str) -> None:
        migration.load()  # reads `-- transactional: false`; before it, use_transactions is always True
        self.ensure_internal_schema_updated()
        started = time.perf_counter()
        if migration.use_transactions:
            with self.transaction():
                self._run_steps(migration, direction)
                self._record(direction, migration, started)
        else:
            self._run_steps(migration, direction)
            with self.transaction():
                self._record(direction, migration, started)

    def apply_one(self, migration: Any, force: bool = False, mark: bool = True) -> None:
        self._process(migration, "apply")

    def rollback_one(self, migration: Any, force: bool = False) -> None:
        self._process(migration, "rollback")
