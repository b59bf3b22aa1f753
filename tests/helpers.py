"""Small helpers shared by tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from typer.testing import CliRunner, Result

from healthschema.cli import app

REPO = Path(__file__).resolve().parents[1]


def cli(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run the CLI in-process; DATABASE_URL is cleared unless given."""
    base = {"DATABASE_URL": None, "HEALTHSCHEMA_PROJECT": None}
    return CliRunner().invoke(app, list(args), env={**base, **(env or {})})


def cli_process(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the CLI as a separate process (for concurrency and crash tests)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "healthschema", *args],
        capture_output=True, text=True, cwd=cwd or REPO, env=env, timeout=timeout, check=False,
    )


@contextmanager
def rolled_back(conn: psycopg.Connection[Any]) -> Iterator[None]:
    """A transaction (or savepoint) that is always rolled back."""
    with conn.transaction():
        yield
        raise psycopg.Rollback()


def query(url: str, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return cur.fetchall() if cur.description else []


def scalar(url: str, sql: str, params: Any = None) -> Any:
    rows = query(url, sql, params)
    return rows[0][0] if rows else None


def user_objects(url: str) -> list[tuple[str, str, str]]:
    """Every relation, function and schema outside the system schemas (a cheap fingerprint)."""
    return [tuple(r) for r in query(url, """
        SELECT 'relation', n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
        UNION ALL
        SELECT 'function', n.nspname, p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        UNION ALL
        SELECT 'schema', nspname, '' FROM pg_namespace
         WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg_temp%%'
           AND nspname NOT LIKE 'pg_toast_temp%%'
        ORDER BY 1, 2, 3""")]
