"""The health refresh job as a pg_cron job (``healthschema schedule``, SPEC §3.2).

One job, :data:`JOB_NAME`, runs the refresh function of the private schema. Creating it again
with the same schedule changes nothing; a new ``--cron`` updates it in place. pg_cron keeps its
jobs in one database (``cron.database_name``; ``postgres`` on Supabase): the target must be that
database, with ``CREATE EXTENSION pg_cron`` done there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from healthschema.errors import ConfigError, DatabaseError
from healthschema.files.project import Project
from healthschema.files.sqlquote import qualified
from healthschema.pg import connect as db

JOB_NAME = "healthschema_refresh"
DEFAULT_CRON = "0 3 * * *"
_FIELD = r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*"
_CRON = re.compile(rf"^{_FIELD}( {_FIELD}){{4}}$")
_SECONDS = re.compile(r"^([1-9]|[1-5][0-9]) seconds$")
_NAMED = {"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@hourly", "@reboot"}


class PgCronMissingError(DatabaseError):
    """pg_cron is not installed in the target database."""


@dataclass(frozen=True)
class Schedule:
    """The scheduled refresh job as pg_cron holds it."""

    job_id: int
    cron: str
    command: str
    active: bool
    database: str
    username: str


@dataclass(frozen=True)
class ScheduleResult:
    action: Literal["created", "updated", "unchanged", "removed", "absent"]
    schedule: Schedule | None


def validate_cron(expression: str) -> str:
    """``expression`` normalised (single spaces) if pg_cron accepts its form.

    :raises ConfigError: not five cron fields, ``@daily``-style or ``N seconds``.
    """
    text = " ".join(expression.split())
    if text in _NAMED or _CRON.match(text) or _SECONDS.match(text):
        return text
    raise ConfigError(
        f"invalid cron expression {expression!r}",
        hint="use five fields (minute hour day month weekday), e.g. '0 3 * * *', or @hourly/@daily",
    )


def refresh_command(project: Project) -> str:
    """The SQL the job runs: the refresh function, for every organization."""
    return f"SELECT {qualified(project.private_schema, 'refresh_customer_health')}()"


def _require_pg_cron(conn: db.Connection) -> None:
    installed, available, cron_db, current = db.fetch_all(conn, "schedule/pg_cron")[0]
    if installed:
        return
    if not available:
        raise PgCronMissingError(
            "pg_cron is not available on this server",
            hint="install it (Debian: postgresql-15-cron; Supabase ships it) and preload it",
        )
    if cron_db and cron_db != current:
        raise PgCronMissingError(
            f"pg_cron keeps its jobs in database {cron_db!r}, not {current!r}",
            hint=f"run `healthschema schedule` against {cron_db!r}, or set cron.database_name",
        )
    raise PgCronMissingError(
        "pg_cron is not installed in this database",
        hint="CREATE EXTENSION pg_cron (the server needs shared_preload_libraries = 'pg_cron'; "
        "on Supabase: Database → Extensions)",
    )


def _current(conn: db.Connection) -> Schedule | None:
    rows = db.fetch_all(conn, "schedule/get", {"name": JOB_NAME})
    if not rows:
        return None
    job_id, cron, command, active, database, username = rows[0]
    return Schedule(int(job_id), str(cron), str(command), bool(active), str(database), str(username))


@dataclass(frozen=True)
class ScheduleStatus:
    """What ``status`` shows: whether pg_cron is usable here, and the job if scheduled."""

    pg_cron: bool
    schedule: Schedule | None


def current(url: str) -> ScheduleStatus:
    """The scheduled refresh job, if any. Read-only."""
    with db.connection(url) as conn:
        try:
            _require_pg_cron(conn)
        except PgCronMissingError:
            return ScheduleStatus(False, None)
        return ScheduleStatus(True, _current(conn))


def schedule(project: Project, url: str, cron: str | None = None) -> ScheduleResult:
    """Create or update the refresh job (default schedule :data:`DEFAULT_CRON`).

    :raises ConfigError: invalid cron expression.
    :raises PgCronMissingError: pg_cron is not usable in the target database.
    """
    wanted = validate_cron(cron or DEFAULT_CRON)
    command = refresh_command(project)
    with db.connection(url) as conn:
        _require_pg_cron(conn)
        before = _current(conn)
        if before is not None and (before.cron, before.command, before.active) == (wanted, command, True):
            return ScheduleResult("unchanged", before)
        db.fetch_value(conn, "schedule/set", {"name": JOB_NAME, "schedule": wanted, "command": command})
        after = _current(conn)
        if after is not None and not after.active:
            db.fetch_value(conn, "schedule/activate", {"job_id": after.job_id})
            after = _current(conn)
        conn.commit()
    return ScheduleResult("created" if before is None else "updated", after)


def unschedule(url: str) -> ScheduleResult:
    """Remove the refresh job; ``absent`` when there was none.

    :raises PgCronMissingError: pg_cron is not usable in the target database.
    """
    with db.connection(url) as conn:
        _require_pg_cron(conn)
        before = _current(conn)
        if before is None:
            return ScheduleResult("absent", None)
        db.fetch_value(conn, "schedule/unset", {"name": JOB_NAME})
        conn.commit()
    return ScheduleResult("removed", before)
