"""CLI wiring: help, exit codes, one-line errors without passwords."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli

SECRET = "s3cr3t-pw"


def test_help_lists_the_commands() -> None:
    result = cli("--help")
    assert result.exit_code == 0
    for command in ("db", "render", "status", "apply", "rollback"):
        assert f" {command} " in result.stdout


@pytest.mark.parametrize("args", [
    ["status", "--database-url", f"mysql://admin:{SECRET}@localhost/db"],
    ["apply", "--database-url", f"postgresql://admin:{SECRET}@localhost:99999/db"],
    ["status", "--database-url", f"postgresql://admin:{SECRET}@127.0.0.1:1/db"],
    ["rollback", "--database-url", f"postgresql://admin:{SECRET}@127.0.0.1:1/db"],
])
def test_bad_or_unreachable_database_is_exit_2_one_line_no_password(args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert SECRET not in result.stderr + result.stdout
    assert "***" in result.stderr


def test_unknown_version_is_exit_2(applied_db: str) -> None:
    result = cli("rollback", "--to", "19990101000000", "--database-url", applied_db)
    assert result.exit_code == 2
    assert "not a known migration version" in result.stderr
    assert result.stderr.count("\n") == 1


def test_status_json(applied_db: str) -> None:
    result = cli("status", "--format", "json", "--database-url", applied_db)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and {row["state"] for row in rows} == {"applied"}


def test_local_default_database_lifecycle(tmp_path: Path, project: object) -> None:
    env = {"HEALTHSCHEMA_HOME": str(tmp_path / "home")}
    assert cli("db", "status", env=env).exit_code == 1
    url_result = cli("db", "url", env=env)
    assert url_result.exit_code == 2 and "not running" in url_result.stderr
    try:
        started = cli("db", "start", env=env)
        assert started.exit_code == 0, started.output
        assert cli("db", "status", env=env).exit_code == 0
        assert cli("db", "url", env=env).stdout == started.stdout
        applied = cli("apply", "--with-platform-stub", env=env)
        assert applied.exit_code == 0, applied.output
        status = cli("status", env=env)
        assert status.exit_code == 0 and "pending" not in status.stdout, status.output
        assert cli("rollback", "--all", env=env).exit_code == 0
        after = json.loads(cli("status", "--format", "json", env=env).stdout)
        assert after and {row["state"] for row in after} == {"pending"}
    finally:
        assert cli("db", "stop", env=env).exit_code == 0
    assert cli("db", "status", env=env).exit_code == 1
