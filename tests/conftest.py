"""Shared fixtures: real PostgreSQL servers (never mocked, never skipped).

Database tests run once per available major version: the primary disposable server
(``HEALTHSCHEMA_TEST_DATABASE_URL`` → testcontainers → embedded PostgreSQL 18) and, when
installed, the system's PostgreSQL (15 here). Each test gets a fresh database; databases
with the migrations applied are cloned from a template built once per server.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest

from healthschema import operations
from healthschema.files.project import Project, load_project
from healthschema.pg import disposable, server
from tests import supabase_target
from tests.helpers import rolled_back

REPO = Path(__file__).resolve().parents[1]
_counter = itertools.count()
_versions_ran: dict[str, str] = {}


def _server_params() -> list[str]:
    wanted = os.environ.get("HEALTHSCHEMA_TEST_SERVERS")
    if wanted:
        return wanted.split(",")
    params = ["primary"]
    if server.system_bindir() is not None:
        params.append("system")
    elif os.environ.get("HEALTHSCHEMA_REQUIRE_SYSTEM_PG"):
        raise pytest.UsageError("HEALTHSCHEMA_REQUIRE_SYSTEM_PG is set but no system PostgreSQL was found")
    return params


class Servers:
    """Starts each disposable server on first use and stops them all at the end."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self._servers: dict[str, disposable.DisposableServer] = {}
        self._templates: dict[tuple[str, str], str] = {}
        self._kinds: dict[str, str] = {}
        self._shared: dict[str, str] = {}

    def get(self, kind: str) -> disposable.DisposableServer:
        if kind not in self._servers:
            factory = disposable.primary if kind == "primary" else disposable.system
            started = self._stack.enter_context(factory())
            self._servers[kind] = started
            self._kinds[started.url] = kind
            _versions_ran[f"{started.provider}"] = started.version
        return self._servers[kind]

    def template(self, kind: str, name: str, build: object) -> str:
        key = (kind, name)
        if key not in self._templates:
            srv = self.get(kind)
            unique = f"{name}_{os.getpid()}"  # test processes may share one server
            url = disposable.create_database(srv.url, unique)
            build(url)  # type: ignore[operator]
            self._templates[key] = unique
        return self._templates[key]

    def kind(self, pg: disposable.DisposableServer) -> str:
        """``primary`` or ``system``: which parameter of the ``pg`` fixture started ``pg``."""
        return self._kinds[pg.url]

    def applied_template(self, pg: disposable.DisposableServer, project: Project) -> str:
        """A template database with the platform stub and every migration applied."""
        return self.template(
            self.kind(pg), "tmpl_applied", lambda url: operations.apply(project, url, with_platform_stub=True)
        )

    def shared_applied(self, pg: disposable.DisposableServer, project: Project) -> str:
        """One applied database per server, shared by tests that leave it unchanged."""
        if pg.url not in self._shared:
            name = f"shared_{os.getpid()}"
            self._shared[pg.url] = disposable.create_database(
                pg.url, name, template=self.applied_template(pg, project)
            )
        return self._shared[pg.url]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def servers() -> Iterator[Servers]:
    holder = Servers()
    try:
        yield holder
    finally:
        holder.close()


@pytest.fixture(scope="session", params=_server_params())
def pg(request: pytest.FixtureRequest, servers: Servers) -> disposable.DisposableServer:
    """A running disposable server (one per major version)."""
    return servers.get(request.param)


@pytest.fixture(scope="session")
def project() -> Project:
    """The repository's own project (templates, migrations, healthschema.toml)."""
    return load_project(REPO)


@pytest.fixture
def tmp_project(tmp_path: Path) -> Project:
    """A writable copy of the repository's project, for tests that edit files."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "healthschema.toml", root)
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "migrations", root / "migrations")
    return load_project(root)


def _new_name(prefix: str) -> str:
    return f"{prefix}_{os.getpid()}_{next(_counter)}"


@pytest.fixture
def empty_db(pg: disposable.DisposableServer) -> Iterator[str]:
    """URL of a fresh, empty database."""
    with disposable.scratch_database(pg.url, _new_name("t")) as url:
        yield url


@pytest.fixture
def applied_db(pg: disposable.DisposableServer, servers: Servers, project: Project) -> Iterator[str]:
    """URL of a fresh database with the platform stub and every migration applied."""
    template = servers.applied_template(pg, project)
    with disposable.scratch_database(pg.url, _new_name("a"), template=template) as url:
        yield url


@pytest.fixture(scope="session")
def shared_conn(
    pg: disposable.DisposableServer, servers: Servers, project: Project
) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """An autocommit connection to the shared applied database of this server. Tests must leave
    it unchanged: use :func:`tests.helpers.rolled_back` (or the ``txn`` fixture)."""
    with psycopg.connect(servers.shared_applied(pg, project), autocommit=True) as connection:
        yield connection


@pytest.fixture
def txn(
    shared_conn: psycopg.Connection[tuple[object, ...]],
) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """The shared applied database inside a transaction that is rolled back after the test.
    Statements expected to fail go in ``with txn.transaction():`` (a savepoint); now() is
    constant within a test."""
    with rolled_back(shared_conn):
        yield shared_conn


@pytest.fixture
def conn(applied_db: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A superuser connection to ``applied_db`` (autocommit)."""
    with psycopg.connect(applied_db, autocommit=True) as connection:
        yield connection


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands the versions it ran on to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["pg_versions"] = json.dumps(_versions_ran)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """The xdist controller collects the versions its workers ran on."""
    _versions_ran.update(json.loads(getattr(node, "workeroutput", {}).get("pg_versions", "{}")))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _versions_ran:
        ran = ", ".join(f"PostgreSQL {v} ({p})" for p, v in sorted(_versions_ran.items()))
        terminalreporter.write_line(f"database tests ran on: {ran}")


# --- A Supabase-shaped target (tests/supabase_target.py) -------------------------------------

_supabase_templates: dict[str, str] = {}


@pytest.fixture(scope="session")
def supabase_pg(pg: disposable.DisposableServer, servers: Servers) -> Iterator[supabase_target.SupabaseServer]:
    """A Supabase-shaped server of the same major as ``pg`` (bootstrap superuser supabase_admin)."""
    kind = servers.kind(pg)
    bindir = server.embedded_bindir() if kind == "primary" else server.system_bindir()
    assert bindir is not None
    with supabase_target.supabase_server(bindir) as started:
        yield started


def _supabase_template(srv: supabase_target.SupabaseServer) -> str:
    """A template database built once per Supabase-shaped server."""
    if srv.admin_url not in _supabase_templates:
        name = f"supabase_tmpl_{os.getpid()}"
        supabase_target.create_database(srv, name)
        _supabase_templates[srv.admin_url] = name
    return _supabase_templates[srv.admin_url]


@pytest.fixture
def supabase_db(supabase_pg: supabase_target.SupabaseServer) -> Iterator[supabase_target.SupabaseDatabase]:
    """A fresh Supabase-shaped database with the wedding platform's tables, no health schema."""
    name = _new_name("sb")
    database = supabase_target.create_database(supabase_pg, name, template=_supabase_template(supabase_pg))
    try:
        yield database
    finally:
        supabase_target.drop_database(supabase_pg, name)


@pytest.fixture
def supabase_cron_db(supabase_pg: supabase_target.SupabaseServer) -> Iterator[supabase_target.SupabaseDatabase]:
    """The Supabase-shaped server's pg_cron database (cron.database_name), fresh, with pg_cron
    enabled as Supabase does when the server has it (the system PostgreSQL with Debian's
    postgresql-15-cron); without pg_cron it is an ordinary Supabase-shaped database."""
    name = supabase_target.CRON_DATABASE
    supabase_target.drop_database(supabase_pg, name)
    database = supabase_target.create_database(supabase_pg, name, template=_supabase_template(supabase_pg))
    if supabase_pg.has_pg_cron:
        supabase_target.run_file(database.admin_url, "pg_cron.sql")
    try:
        yield database
    finally:
        supabase_target.drop_database(supabase_pg, name)


@pytest.fixture
def tmp_project_root(tmp_project: Project) -> Path:
    """The directory of :func:`tmp_project` (for tests that edit its files and run the CLI on it)."""
    return tmp_project.root


@pytest.fixture(scope="session", autouse=True)
def _private_embedded_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A command run without a database URL starts the embedded default server: in tests it lives in
    a temporary HEALTHSCHEMA_HOME (never the user's or root's real data directory) and is stopped at
    the end of the session."""
    previous = os.environ.get("HEALTHSCHEMA_HOME")
    os.environ["HEALTHSCHEMA_HOME"] = str(tmp_path_factory.mktemp("healthschema-home"))
    try:
        yield
    finally:
        server.default_cluster().stop()
        if previous is None:
            os.environ.pop("HEALTHSCHEMA_HOME", None)
        else:
            os.environ["HEALTHSCHEMA_HOME"] = previous
