"""A Supabase-shaped target: a disposable server built from Supabase's published setup plus the
wedding platform's real tables (tests/data/supabase/README.md says where each fact comes from).

The server's bootstrap superuser is ``supabase_admin``; ``postgres`` is an ordinary role with
BYPASSRLS, as on Supabase, and is what deploys connect as. pg_cron is preloaded when installed
(Supabase ships it); its jobs live in the database :data:`CRON_DATABASE`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from healthschema.pg import server

DATA = Path(__file__).resolve().parent / "data" / "supabase"
ADMIN = "supabase_admin"
CRON_DATABASE = "supabase_cron"


@dataclass(frozen=True)
class SupabaseServer:
    """A running Supabase-shaped server; ``admin_url`` is its maintenance database as supabase_admin."""

    admin_url: str
    version: str
    has_pg_cron: bool
    bindir: Path

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])


@dataclass(frozen=True)
class SupabaseDatabase:
    """One Supabase-shaped database: ``url`` connects as ``postgres`` (what users deploy as)."""

    name: str
    url: str
    admin_url: str


def as_user(url: str, user: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return parts._replace(netloc=f"{user}@{host}").geturl()


def run_file(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute((DATA / name).read_text(encoding="utf-8").encode())


@contextmanager
def supabase_server(bindir: Path) -> Iterator[SupabaseServer]:
    """Start a disposable server shaped like Supabase's (roles of cluster.sql)."""
    settings = server.cron_settings(bindir, CRON_DATABASE)
    with server.disposable_cluster(bindir, settings, superuser=ADMIN) as cluster:
        url = cluster.url()
        run_file(url, "cluster.sql")
        with psycopg.connect(url) as conn:
            version = str(conn.execute("SHOW server_version").fetchone()[0]).split()[0]  # type: ignore[index]
        yield SupabaseServer(url, version, bool(settings), bindir)


def create_database(srv: SupabaseServer, name: str, template: str | None = None) -> SupabaseDatabase:
    """A new database owned by ``postgres``: built from the SQL files, or cloned from ``template``."""
    with psycopg.connect(srv.admin_url, autocommit=True) as conn:
        query = sql.SQL("CREATE DATABASE {} OWNER postgres").format(sql.Identifier(name))
        if template is not None:
            query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
        conn.execute(query)
    admin_url = urlsplit(srv.admin_url)._replace(path=f"/{name}").geturl()
    database = SupabaseDatabase(name, as_user(admin_url, "postgres"), admin_url)
    if template is None:
        run_file(admin_url, "database.sql")
        run_file(database.url, "platform.sql")
    return database


def schema_dump(srv: SupabaseServer, database: SupabaseDatabase, *extra: str) -> str:
    """``pg_dump --schema-only`` of ``database`` as supabase_admin (the catalog, byte for byte)."""
    result = subprocess.run(
        [str(srv.bindir / "pg_dump"), "--schema-only", "--no-comments", *extra, "--dbname", database.admin_url],
        capture_output=True, text=True, check=True, timeout=60,
    )
    # pg_dump >= 17.6 wraps the script in \restrict/\unrestrict with a random key per run.
    return "".join(line for line in result.stdout.splitlines(keepends=True)
                   if not line.startswith(("\\restrict ", "\\unrestrict ")))


def drop_database(srv: SupabaseServer, name: str) -> None:
    with psycopg.connect(srv.admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
