"""The benchmark's non-query measurements (SPEC §6), each on a seeded database and each leaving
it as it was (rolled back, or its temporary objects dropped):

* :func:`trigger_overhead` — a bulk insert of snapshots into ``customer_health`` vs the same
  rows into the same table with its user triggers disabled (same rows, indexes, CHECKs and
  foreign keys; an empty copy would make the baseline cheaper than the table could ever be), and
  the extra row versions the triggers write per snapshot (``pg_stat_xact_user_tables``);
* :func:`refresh_throughput` — ``refresh_customer_health()`` for every client, clients per second;
* :func:`writer_stall` — the longest gap a concurrent writer sees while ``CREATE INDEX
  CONCURRENTLY`` (non-transactional, with lock_timeout) runs on the big table.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import psycopg
from psycopg import sql as pgsql

from healthschema.pg import connect as db
from healthschema.workload import sqlfiles


def _run(conn: db.Connection, name: str, *, app: str, private: str, **literals: object) -> tuple[object, ...]:
    cur = conn.execute(sqlfiles.compose(sqlfiles.read("sql", name), app=app, private=private, **literals))
    return sqlfiles.last_row(cur)


@dataclass(frozen=True)
class TriggerOverhead:
    rows: int
    with_triggers_s: float
    without_triggers_s: float
    extra_row_versions_per_snapshot: float

    @property
    def ratio(self) -> float:
        return round(self.with_triggers_s / max(self.without_triggers_s, 1e-9), 2)


def _timed_insert(conn: db.Connection, app: str) -> float:
    text = sqlfiles.read("sql", "bench_insert.sql")
    query = pgsql.SQL(text).format(app=pgsql.Identifier(app), target=pgsql.Identifier("customer_health"))
    started = time.perf_counter()
    conn.execute(query)
    return time.perf_counter() - started


def _row_versions(conn: db.Connection, app: str, private: str) -> int:
    row = _run(conn, "bench_row_versions.sql", app=app, private=private, table=f"{app}.customer_health")
    return int(str(row[0])) if row else 0


def trigger_overhead(url: str, rows: int, *, app: str, private: str) -> TriggerOverhead:
    """Insert ``rows`` snapshots into customer_health without its user triggers (in a savepoint,
    rolled back), then with them; everything rolled back. The baseline runs first: the dead rows
    it leaves in the heap and the indexes make the measured insert with triggers slower, not faster."""
    with db.connection(url) as conn:
        _run(conn, "bench_new_snapshots.sql", app=app, private=private, rows=rows)
        _run(conn, "bench_analyze_snapshots.sql", app=app, private=private)
        with conn.transaction():  # a savepoint: the triggers are on again afterwards
            _run(conn, "bench_triggers_off.sql", app=app, private=private)
            plain = _timed_insert(conn, app)
            raise psycopg.Rollback()
        before = _row_versions(conn, app, private)
        with_triggers = _timed_insert(conn, app)
        written = _row_versions(conn, app, private) - before
        conn.rollback()
    return TriggerOverhead(rows, round(with_triggers, 3), round(plain, 3),
                           round((written - rows) / rows, 3) if rows else 0.0)


@dataclass(frozen=True)
class Refresh:
    clients: int
    seconds: float
    extra_row_versions_per_snapshot: float

    @property
    def clients_per_s(self) -> float:
        return round(self.clients / max(self.seconds, 1e-9), 1)


def refresh_throughput(url: str, *, app: str, private: str) -> Refresh:
    """One refresh of every client (one snapshot each, as the scheduled job writes them), timed,
    with the row versions it wrote into customer_health beyond the snapshots; rolled back."""
    with db.connection(url) as conn:
        started = time.perf_counter()
        row = _run(conn, "bench_refresh.sql", app=app, private=private)
        seconds = time.perf_counter() - started
        versions = _run(conn, "bench_row_versions.sql", app=app, private=private, table=f"{app}.customer_health")
        conn.rollback()
    clients = int(str(row[0])) if row else 0
    written = int(str(versions[0])) if versions else 0
    extra = round((written - clients) / clients, 3) if clients else 0.0
    return Refresh(clients, round(seconds, 3), extra)


@dataclass(frozen=True)
class WriterStall:
    writes: int
    index_build_s: float
    max_gap_ms: float


def writer_stall(url: str, client: str, *, app: str, private: str) -> WriterStall:
    """The longest gap between two completed writes while the index is built concurrently."""
    stop = threading.Event()
    done: list[float] = []
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            with db.connection(url, autocommit=True) as conn:
                query = sqlfiles.compose(sqlfiles.read("sql", "bench_writer.sql"), app=app, private=private,
                                         client=client)
                while not stop.is_set():
                    conn.execute(query)
                    done.append(time.perf_counter())
                    time.sleep(0.005)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)

    thread = threading.Thread(target=writer, daemon=True)
    with db.connection(url, autocommit=True) as conn:
        thread.start()
        time.sleep(0.3)
        started = time.perf_counter()
        try:
            # One statement per call: CREATE INDEX CONCURRENTLY cannot run in an implicit transaction.
            for statement in sqlfiles.read("sql", "bench_index_build.sql").split(";\n"):
                conn.execute(sqlfiles.compose(statement, app=app, private=private))
        finally:
            built = time.perf_counter()
            time.sleep(0.3)
            stop.set()
            thread.join(timeout=30)
            _run(conn, "bench_index_drop.sql", app=app, private=private)
    if errors:
        raise errors[0]
    window = [t for t in done if started - 0.05 <= t <= built + 0.3]
    gaps = [b - a for a, b in zip(window, window[1:], strict=False)]
    return WriterStall(len(window), round(built - started, 3), round(1000 * max(gaps, default=0.0), 1))
