"""``healthschema schedule``: the refresh job as the pg_cron job healthschema_refresh (issue 11 item 6).

Real pg_cron: Debian's postgresql-15-cron, preloaded on the Supabase-shaped system-15 server (and
on the ordinary system server). The embedded PostgreSQL 18 has no pg_cron: there the command must
exit 2 with one line.
"""

from __future__ import annotations

import pytest
from typer.testing import Result

from healthschema.errors import ConfigError
from healthschema.workload import schedule
from tests.helpers import cli, query
from tests.supabase_target import SupabaseDatabase, SupabaseServer


@pytest.mark.parametrize("expr", ["0 3 * * *", "*/15 * * * *", "0 1-5/2 * * 1,3", "@hourly", "30 seconds"])
def test_cron_expressions_accepted(expr: str) -> None:
    assert schedule.validate_cron(f"  {expr} ") == expr


@pytest.mark.parametrize("expr", ["", "daily", "* * * *", "0 3 * * * *", "0 3 * * mon; drop", "61 seconds"])
def test_cron_expressions_rejected(expr: str) -> None:
    with pytest.raises(ConfigError, match="invalid cron expression"):
        schedule.validate_cron(expr)


def test_bad_cron_is_refused_before_connecting() -> None:
    result = cli("schedule", "--cron", "every day", "--database-url", "postgresql://nobody@/x?host=/nonexistent")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["error: invalid cron expression 'every day' (hint: use five "
                                                  "fields (minute hour day month weekday), e.g. '0 3 * * *', "
                                                  "or @hourly/@daily)"]


def _error_lines(result: Result) -> list[str]:
    """stderr without the line naming the target."""
    return [line for line in result.stderr.strip().splitlines() if not line.startswith("target: ")]


def _jobs(db: SupabaseDatabase) -> list[tuple[object, ...]]:
    return query(db.admin_url, "SELECT jobname, schedule, command, active, database, username FROM cron.job")


def test_schedule_lifecycle_on_supabase(supabase_pg: SupabaseServer, supabase_cron_db: SupabaseDatabase) -> None:
    url = supabase_cron_db.url
    if not supabase_pg.has_pg_cron:
        assert supabase_pg.major >= 18, "the system PostgreSQL 15 must have pg_cron (postgresql-15-cron)"
        result = cli("schedule", "--database-url", url)
        assert result.exit_code == 2
        assert _error_lines(result) == [
            "error: pg_cron is not available on this server (hint: install it (Debian: postgresql-15-cron; "
            "Supabase ships it) and preload it)"]
        return
    first = cli("schedule", "--database-url", url)
    assert first.exit_code == 0, first.output
    assert "created: healthschema_refresh '0 3 * * *' (active" in first.output
    command = "SELECT healthschema_private.refresh_customer_health()"
    assert _jobs(supabase_cron_db) == [
        ("healthschema_refresh", "0 3 * * *", command, True, supabase_cron_db.name, "postgres")]

    again = cli("schedule", "--database-url", url)
    assert again.exit_code == 0 and "unchanged:" in again.output
    assert len(_jobs(supabase_cron_db)) == 1

    changed = cli("schedule", "--cron", "*/10 * * * *", "--database-url", url)
    assert changed.exit_code == 0 and "updated: healthschema_refresh '*/10 * * * *'" in changed.output
    assert [row[1] for row in _jobs(supabase_cron_db)] == ["*/10 * * * *"]

    status = cli("status", "--database-url", url)
    assert "schedule: healthschema_refresh '*/10 * * * *' (active" in status.output

    removed = cli("schedule", "--remove", "--database-url", url)
    assert removed.exit_code == 0 and "removed: healthschema_refresh" in removed.output
    assert _jobs(supabase_cron_db) == []
    absent = cli("schedule", "--remove", "--database-url", url)
    assert absent.exit_code == 0 and "nothing to remove" in absent.output
    assert "schedule: none" in cli("status", "--database-url", url).output


def test_schedule_refuses_a_database_without_pg_cron(empty_db: str) -> None:
    result = cli("schedule", "--database-url", empty_db)
    assert result.exit_code == 2
    lines = _error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: pg_cron ")
    assert query(empty_db, "SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'") == [(0,)]


def test_cron_and_remove_together_is_bad_input() -> None:
    result = cli("schedule", "--cron", "@daily", "--remove", "--database-url", "postgresql://nobody@/x?host=/nonexistent")
    assert result.exit_code == 2 and "either --cron or --remove" in result.output
