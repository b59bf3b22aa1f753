"""Connections: the only module that opens a PostgreSQL connection.

Also owns URL handling (passwords are masked in every message) and the packaged
internal SQL files under ``healthschema/sql/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import sql as pgsql
from psycopg.conninfo import conninfo_to_dict

from healthschema.errors import ConfigError, DatabaseError
from healthschema.pg import statements

Connection = psycopg.Connection[Any]
APPLICATION_NAME = "healthschema"
_PASSWORD_IN_URL = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^:/?#@\s]*:)(?P<pw>[^@\s]*)(?=@)", re.I)
# A password ends where the URL/DSN ends: at whitespace, or the quote a message put around it.
_PASSWORD_IN_QUERY = re.compile(r"(?P<head>[?&]password=)(?P<pw>[^&\s'\"]*)", re.I)
_PASSWORD_IN_DSN = re.compile(r"(?P<head>\bpassword\s*=\s*)(?P<pw>'(?:[^'\\]|\\.)*'|[^\s'\"]+)", re.I)


def mask_url(text: str) -> str:
    """Replace every password in ``text`` (URL userinfo, ?password=, key=value) by ``***``."""
    for pattern in (_PASSWORD_IN_URL, _PASSWORD_IN_QUERY, _PASSWORD_IN_DSN):
        text = pattern.sub(lambda m: m["head"] + ("***" if m["pw"] else ""), text)
    return text


def validate_url(url: str) -> str:
    """Check that ``url`` is a PostgreSQL URL; returns it unchanged.

    :raises ConfigError: not a ``postgresql://`` or ``postgres://`` URL.
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port validates it
    except ValueError as exc:
        raise ConfigError(
            f"invalid database URL {mask_url(url)!r}: {exc}",
            hint="use postgresql://user:password@host:5432/dbname",
        ) from exc
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigError(
            f"invalid database URL {mask_url(url)!r}: the scheme must be postgresql://",
            hint="use postgresql://user:password@host:5432/dbname",
        )
    return url


def describe_error(exc: BaseException) -> str:
    """One line for a psycopg error: SQLSTATE and primary message, passwords masked."""
    diag = getattr(exc, "diag", None)
    text = getattr(diag, "message_primary", None) if diag is not None else None
    if not text:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        text = lines[0] if lines else type(exc).__name__
    state = getattr(exc, "sqlstate", None)
    return mask_url(f"{text} (SQLSTATE {state})" if state else text)


def connect(url: str, *, autocommit: bool = False, connect_timeout: int = 5) -> Connection:
    """Open a connection.

    :raises ConfigError: the URL is malformed.
    :raises DatabaseError: the server cannot be reached or refuses the login.
    """
    validate_url(url)
    try:
        return psycopg.connect(
            url,
            autocommit=autocommit,
            connect_timeout=connect_timeout,
            application_name=APPLICATION_NAME,
        )
    except psycopg.ProgrammingError as exc:
        raise ConfigError(f"invalid database URL {mask_url(url)!r}: {describe_error(exc)}") from exc
    except psycopg.Error as exc:
        raise DatabaseError(
            f"cannot connect to {mask_url(url)}: {_connection_reason(exc)}",
            hint="check the URL, that the server runs, and your credentials",
        ) from exc


def _connection_reason(exc: psycopg.Error) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    reason = lines[0] if lines else type(exc).__name__
    return mask_url(reason.removeprefix("connection failed: "))


@contextmanager
def connection(url: str, *, autocommit: bool = False) -> Iterator[Connection]:
    """A connection closed on exit; any psycopg error becomes a :class:`DatabaseError`."""
    conn = connect(url, autocommit=autocommit)
    try:
        yield conn
    except psycopg.Error as exc:
        raise DatabaseError(describe_error(exc)) from exc
    finally:
        conn.close()


def packaged_query(name: str, **identifiers: str) -> pgsql.SQL | pgsql.Composed:
    """A packaged statement (``"<owner>/<name>"``, :mod:`healthschema.pg.statements`) as a query;
    ``{key}`` placeholders become quoted identifiers."""
    text = statements.text(name)
    if not identifiers:
        return pgsql.SQL(text)
    values = {key: pgsql.Identifier(value) for key, value in identifiers.items()}
    return pgsql.SQL(text).format(**values)


def fetch_all(
    conn: Connection, name: str, params: dict[str, Any] | None = None, **identifiers: str
) -> list[tuple[Any, ...]]:
    """Rows of a packaged query (``%(param)s`` placeholders are bound from ``params``)."""
    cursor = conn.execute(packaged_query(name, **identifiers), params)
    return cursor.fetchall() if cursor.description else []


def fetch_value(
    conn: Connection, name: str, params: dict[str, Any] | None = None, **identifiers: str
) -> Any:
    """The first column of the first row of a packaged query, or None."""
    rows = fetch_all(conn, name, params, **identifiers)
    return rows[0][0] if rows else None


def execute_file(
    conn: Connection, name: str, params: dict[str, Any] | None = None, **identifiers: str
) -> None:
    """Run a packaged SQL file for its effect."""
    conn.execute(packaged_query(name, **identifiers), params)


def server_version(conn: Connection) -> str:
    """The server's version number, e.g. ``18.6``."""
    return str(fetch_value(conn, "connect/server_version")).split()[0]


def database_name(url: str) -> str:
    """The database a URL names (libpq's default: the user name)."""
    params = conninfo_to_dict(url)
    return str(params.get("dbname") or params.get("user") or "postgres")


def with_database(url: str, dbname: str) -> str:
    """``url`` pointing at another database on the same server."""
    parts = urlsplit(url)
    return parts._replace(path="/" + dbname).geturl()
