"""Issue 10 item 9: plpgsql_check (the postgresql-15-plpgsql-check package, installed by .ci/run)
finds no error and no performance warning — such as a hidden varchar→text cast — in any of our
PL/pgSQL functions. The extension exists for the system PostgreSQL 15 only, so this runs there."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from healthschema.files.project import Project
from healthschema.pg import disposable
from tests.conftest import Servers

CHECK = """
SELECT p.oid::regprocedure::text, r.level, r.message, r.lineno
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang AND l.lanname = 'plpgsql'
  LEFT JOIN LATERAL (SELECT t.tgrelid, t.tgoldtable, t.tgnewtable FROM pg_trigger t
                      WHERE t.tgfoid = p.oid LIMIT 1) AS tg ON true
 CROSS JOIN LATERAL plpgsql_check_function_tb(p.oid, coalesce(tg.tgrelid, 0),
                                               performance_warnings => true, extra_warnings => false,
                                               oldtable => tg.tgoldtable, newtable => tg.tgnewtable) AS r
 WHERE p.pronamespace = 'healthschema_private'::regnamespace
"""


@pytest.fixture(scope="module")
def system_db(servers: Servers, project: Project) -> Iterator[str]:
    system = servers.get("system")
    template = servers.applied_template(system, project)
    with disposable.scratch_database(system.url, "plpgsql_check_db", template=template) as url:
        yield url


def test_no_plpgsql_check_findings(system_db: str) -> None:
    with psycopg.connect(system_db, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION plpgsql_check")
        functions = conn.execute("SELECT count(*) FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
                                 " WHERE l.lanname = 'plpgsql'"
                                 " AND p.pronamespace = 'healthschema_private'::regnamespace").fetchone()
        findings = conn.execute(CHECK).fetchall()
    assert functions is not None and functions[0] >= 10
    assert findings == [], "\n".join(map(str, findings))
