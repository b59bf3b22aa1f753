"""Data commands: ``schedule`` (the health refresh job as a pg_cron job)."""

from __future__ import annotations

from typing import Annotated

import typer

from healthschema.cli.common import DatabaseUrl, state
from healthschema.errors import ConfigError
from healthschema.pg.connect import mask_url
from healthschema.workload import schedule as refresh_schedule


def describe(item: refresh_schedule.Schedule) -> str:
    state_text = "active" if item.active else "inactive"
    return f"{refresh_schedule.JOB_NAME} '{item.cron}' ({state_text}, job {item.job_id}, runs as {item.username})"


def schedule_line(status: refresh_schedule.ScheduleStatus) -> str:
    """The ``status`` command's schedule line."""
    if status.schedule is not None:
        return describe(status.schedule)
    return "none" if status.pg_cron else "none (pg_cron is not installed in this database)"


def schedule_cmd(
    ctx: typer.Context, database_url: DatabaseUrl = "",
    cron: Annotated[str | None, typer.Option(
        "--cron", help=f"When to run, as a cron expression (default '{refresh_schedule.DEFAULT_CRON}', GMT).",
    )] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the scheduled job.")] = False,
) -> None:
    """Schedule the health refresh job with pg_cron (job healthschema_refresh); idempotent."""
    if remove and cron is not None:
        raise ConfigError("use either --cron or --remove, not both")
    if cron is not None:
        refresh_schedule.validate_cron(cron)  # bad input fails before anything connects
    project = state(ctx).project()
    url = database_url
    typer.echo(f"target: {mask_url(url)}", err=True)
    result = refresh_schedule.unschedule(url) if remove else refresh_schedule.schedule(project, url, cron)
    if result.action == "absent":
        typer.echo(f"no {refresh_schedule.JOB_NAME} job was scheduled; nothing to remove")
    elif result.schedule is not None:
        typer.echo(f"{result.action}: {describe(result.schedule)}")
