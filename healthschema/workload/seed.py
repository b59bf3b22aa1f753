"""Demo and benchmark data (``healthschema seed --scale N``): set-based SQL, one transaction.

``scale`` is the number of ``customer_health`` rows; the other tables follow in proportion
(docs/performance.md, "The data set"): clients = scale / 50 (50 weekly snapshots each, the last
one current), organizations = clients / 40 with power-law sizes, 10 milestones and ~3
interactions and ~22 activity rows per client. The same scale always gives the same shape
(``setseed``). The health tables' own triggers are switched off for the bulk load (the SQL fills
the derived columns with the schema's own functions) and on again in the same transaction;
afterwards the tables are vacuumed and analysed so plans and index-only scans are realistic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from psycopg import sql as pgsql

from healthschema.errors import ConfigError, DatabaseError
from healthschema.pg import connect as db
from healthschema.workload import sqlfiles

STEPS: tuple[tuple[str, str], ...] = (
    ("prepare", "seed_01_prepare.sql"),
    ("organizations and people", "seed_02_organizations.sql"),
    ("clients", "seed_03_clients.sql"),
    ("activity_logs", "seed_04_activity.sql"),
    ("success_milestones", "seed_05_milestones.sql"),
    ("support_interactions", "seed_06_interactions.sql"),
    ("customer_health", "seed_07_health.sql"),
    ("triggers back on", "seed_08_finish.sql"),
)
VACUUMED = ("organizations", "user_profiles", "clients", "activity_logs", "customer_health",
            "success_milestones", "support_interactions")
MAX_SCALE = 100_000_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SeedReport:
    scale: int
    organizations: int
    clients: int
    customer_health: int
    success_milestones: int
    support_interactions: int
    activity_logs: int
    seconds: float

    def to_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def _no_progress(step: str) -> None:
    del step


def validate_scale(scale: int) -> int:
    """:raises ConfigError: not between 1 and 100,000,000."""
    if not 1 <= scale <= MAX_SCALE:
        raise ConfigError(f"--scale must be between 1 and {MAX_SCALE:,}, got {scale}",
                          hint="scale is the number of customer_health rows, e.g. --scale 100000")
    return scale


def has_data(url: str, app: str) -> bool:
    """True when the target already holds health snapshots."""
    with db.connection(url) as conn:
        text = sqlfiles.read("sql", "seed_has_data.sql")
        row = conn.execute(sqlfiles.compose(text, app=app, private=app)).fetchone()
        return bool(row and row[0])


def seed(url: str, scale: int, *, app: str, private: str, progress: Progress = _no_progress) -> SeedReport:
    """Load the data set into ``url`` (in one transaction; nothing is kept on failure).

    :raises ConfigError: bad scale, or the target already holds health snapshots.
    :raises DatabaseError: a statement failed.
    """
    validate_scale(scale)
    if has_data(url, app):
        raise ConfigError("the target already holds customer_health rows; seed loads into an empty schema",
                          hint="seed a fresh database (e.g. after `healthschema apply --with-platform-stub`)")
    started = time.perf_counter()
    with db.connection(url) as conn:
        counts: tuple[int, ...] = ()
        for label, name in STEPS:
            progress(label)
            cur = conn.execute(sqlfiles.compose(sqlfiles.read("sql", name), app=app, private=private, scale=scale))
            if name == STEPS[-1][1]:
                counts = tuple(int(v) for v in sqlfiles.last_row(cur))
        conn.commit()
    progress("vacuum analyze")
    vacuum_analyze(url, app)
    if len(counts) != 6:
        raise DatabaseError("seed finished without counting its rows")
    orgs, clients, health, milestones, interactions, activity = counts
    return SeedReport(scale, orgs, clients, health, milestones, interactions, activity,
                      round(time.perf_counter() - started, 2))


def vacuum_analyze(url: str, app: str, attempts: int = 5) -> None:
    """VACUUM (ANALYZE) the seeded tables: statistics for the planner, visibility for index-only
    scans. A concurrent snapshot (e.g. autovacuum just woken by the load) can keep VACUUM from
    marking pages all-visible, so it is repeated until at least 95% of every table's pages are."""
    tables = [f"{app}.{t}" for t in VACUUMED]
    with db.connection(url, autocommit=True) as conn:
        for attempt in range(attempts):
            for table in VACUUMED:
                conn.execute(pgsql.SQL("VACUUM (ANALYZE) {}").format(pgsql.Identifier(app, table)))
            text = sqlfiles.read("sql", "seed_visibility.sql")
            row = conn.execute(sqlfiles.compose(text, app=app, private=app, tables=tables)).fetchone()
            if row is None or float(row[0]) >= 0.95:
                return
            time.sleep(0.15 * (attempt + 1))
