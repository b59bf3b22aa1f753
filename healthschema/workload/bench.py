"""``healthschema bench``: SPEC §6 measured on a scratch database of the target server.

The benchmark creates its own database (``healthschema_bench_<pid>``) on the server of the URL,
applies the migrations with the platform stub, seeds ``scale`` customer_health rows, measures,
and drops the database again, so it never touches real data. Figures:

* every catalog query: p50/p95 ms as service_role (its baseline query, for the same rows), the
  index(es) of the persona's plan, rows, and ``rls_ratio`` = persona median / service_role median;
* ``trigger_overhead_ratio`` (bulk insert) and ``extra_row_versions_per_snapshot`` (refresh job), :mod:`.measure`;
* ``refresh_clients_per_s``, ``seed_seconds``, ``writer_stall_ms_max``.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from psycopg import sql as pgsql

from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.pg import disposable
from healthschema.workload import catalog, deploy_bench, measure, seed

Progress = Callable[[str], None]
Prepare = Callable[[str], object]  # applies the migrations (with the platform stub) to a new database
ITERATIONS = 25
WARMUP = 3


@dataclass(frozen=True)
class QueryResult:
    name: str
    persona: str
    p50_ms: float
    p95_ms: float
    index: str
    rows: int
    rls_ratio: float
    persona_p50_ms: float
    persona_p95_ms: float
    documented_index: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "persona": self.persona, "p50_ms": self.p50_ms, "p95_ms": self.p95_ms,
                "index": self.index, "rows": self.rows, "rls_ratio": self.rls_ratio}


@dataclass
class BenchReport:
    scale: int
    server_version: str
    queries: list[QueryResult]
    trigger_overhead_ratio: float
    extra_row_versions_per_snapshot: float
    refresh_clients_per_s: float
    seed_seconds: float
    writer_stall_ms_max: float
    details: dict[str, Any] = field(default_factory=dict)
    backfill_clients_per_s: float = 0.0  # :mod:`.deploy_bench`
    platform_lock_ms_max: float = 0.0

    @property
    def rls_ratio_max(self) -> float:
        return max((q.rls_ratio for q in self.queries), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"scale": self.scale, "server_version": self.server_version,
                "queries": [q.to_dict() for q in self.queries], "rls_ratio_max": self.rls_ratio_max,
                "trigger_overhead_ratio": self.trigger_overhead_ratio,
                "extra_row_versions_per_snapshot": self.extra_row_versions_per_snapshot,
                "refresh_clients_per_s": self.refresh_clients_per_s, "seed_seconds": self.seed_seconds,
                "writer_stall_ms_max": self.writer_stall_ms_max, "backfill_clients_per_s": self.backfill_clients_per_s,
                "platform_lock_ms_max": self.platform_lock_ms_max}


def _no_progress(step: str) -> None:
    del step


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(1000 * ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))], 3)


def _run_once(conn: db.Connection, stmt: pgsql.Composed, params: catalog.Parameters, persona: str) -> tuple[float, int]:
    """One timed run as ``persona``: the transaction, role and claims are set up outside the timing."""
    with catalog.as_persona(conn, persona, params):
        started = time.perf_counter()
        rows = len(conn.execute(stmt).fetchall())
        return time.perf_counter() - started, rows


def _paired_timings(conn: db.Connection, query: catalog.Query, base: catalog.Query, params: catalog.Parameters,
                    app: str, private: str, iterations: int) -> tuple[list[float], list[float], int]:
    """The persona's runs of ``query`` and service_role's of ``base``, interleaved run by run, so
    that both sides see the same load (on a shared machine a burst would otherwise fall on one
    side's block of runs), each set up the same way (its own rolled-back transaction, role and
    claims set before the clock starts)."""
    mine = catalog.statement(query, params, app=app, private=private)
    theirs = catalog.statement(base, params, app=app, private=private)
    persona_s: list[float] = []
    service_s: list[float] = []
    rows = 0
    for i in range(WARMUP + iterations):
        seconds, rows = _run_once(conn, mine, params, query.persona)
        service, _ = _run_once(conn, theirs, params, "service_role")
        if i >= WARMUP:
            persona_s.append(seconds)
            service_s.append(service)
    return persona_s, service_s, rows


def measure_queries(url: str, *, app: str, private: str, iterations: int = ITERATIONS,
                    progress: Progress = _no_progress) -> list[QueryResult]:
    """Every catalog query as its persona and (its baseline) as service_role."""
    queries = catalog.load()
    by_name = {q.name: q for q in queries}
    results = []
    with db.connection(url, autocommit=True) as conn:
        params = catalog.parameters(conn, app)
        for query in queries:
            progress(f"query {query.name}")
            persona_s, service_s, rows = _paired_timings(conn, query, by_name[query.baseline], params, app, private,
                                                         iterations)
            used = catalog.explain_indexes(conn, query, params, query.persona, app=app, private=private)
            ratio = statistics.median(persona_s) / max(statistics.median(service_s), 1e-9)
            results.append(QueryResult(
                query.name, query.persona, _p(service_s, 0.5), _p(service_s, 0.95), ",".join(sorted(used)) or "-",
                rows, round(ratio, 2) if query.persona != "service_role" else 1.0,
                _p(persona_s, 0.5), _p(persona_s, 0.95), query.persona_index))
    return results


def _scratch(server_url: str, prepare: Prepare, label: str, progress: Progress) -> str:
    name = f"healthschema_bench_{os.getpid()}_{label}"
    disposable.drop_database(server_url, name)
    url = disposable.create_database(server_url, name)
    progress(f"apply migrations ({name})")
    try:
        prepare(url)
    except BaseException:
        disposable.drop_database(server_url, name)
        raise
    return url


def run(server_url: str, scale: int, project: Project, prepare: Prepare, *, progress: Progress = _no_progress,
        full: bool = True, iterations: int = ITERATIONS, deploy: deploy_bench.Deployer | None = None) -> BenchReport:
    """Seed a scratch database at ``scale`` (``prepare`` applies the migrations to it) and
    measure; ``full`` adds the trigger, refresh and writer-stall measurements. The scratch
    database is dropped afterwards."""
    seed.validate_scale(scale)
    app, private = project.app_schema, project.private_schema
    url = _scratch(server_url, prepare, str(scale), progress)
    try:
        progress(f"seed {scale:,} customer_health rows")
        seeded = seed.seed(url, scale, app=app, private=private, progress=lambda s: progress(f"seed: {s}"))
        with db.connection(url, autocommit=True) as conn:
            version = db.server_version(conn)
        queries = measure_queries(url, app=app, private=private, iterations=iterations, progress=progress)
        report = BenchReport(scale, version, queries, 0.0, 0.0, 0.0, seeded.seconds, 0.0,
                             {"seed": seeded.to_dict()})
        if full:
            rows = max(1, min(50_000, scale // 20))
            progress(f"trigger overhead ({rows:,} snapshots)")
            overhead = measure.trigger_overhead(url, rows, app=app, private=private)
            report.trigger_overhead_ratio = overhead.ratio
            progress("refresh job")
            refresh = measure.refresh_throughput(url, app=app, private=private)
            report.refresh_clients_per_s = refresh.clients_per_s
            report.extra_row_versions_per_snapshot = refresh.extra_row_versions_per_snapshot
            progress("writer stall during CREATE INDEX CONCURRENTLY")
            with db.connection(url, autocommit=True) as conn:
                client = catalog.parameters(conn, app).client
            stall = measure.writer_stall(url, client, app=app, private=private)
            report.writer_stall_ms_max = stall.max_gap_ms
            report.details.update(trigger=overhead.__dict__, refresh=refresh.__dict__, stall=stall.__dict__)
        if full and deploy is not None:
            progress("deploy: platform lock time and back-fill rate at two client counts")
            found = deploy_bench.figures(server_url, project, deploy, scale)
            report.backfill_clients_per_s, report.platform_lock_ms_max = (found["backfill_clients_per_s"],
                                                                          found["platform_lock_ms_max"])
            report.details["deploy"] = found["deploy"]
        return report
    finally:
        progress("drop the scratch database")
        disposable.drop_database(server_url, db.database_name(url))
