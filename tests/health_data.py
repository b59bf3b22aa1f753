"""Rows for the trigger/function tests (brief 3b): organizations, clients, milestones, interactions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from tests.schema_rows import new_client, new_org

Conn = psycopg.Connection[tuple[Any, ...]]
Row = dict[str, Any]

MILESTONE = {"milestone_type": "custom", "milestone_category": "planning"}
INTERACTION = {
    "interaction_type": "support_ticket", "interaction_category": "support",
    "interaction_method": "email", "subject": "Help",
}


def shared_connection() -> Callable[..., Iterator[Conn]]:
    """A ``conn`` fixture that is cheap per test: the shared applied database (conftest
    ``txn``), inside a transaction rolled back after the test. Statements expected to fail must
    run in ``with conn.transaction():`` (a savepoint). Note that now() is constant within a test."""

    @pytest.fixture
    def conn(txn: Conn) -> Iterator[Conn]:
        yield txn

    return conn


# Organizations and clients are made the same way as for the table tests.
org = new_org
client = new_client


def insert(conn: Conn, table: str, values: dict[str, Any]) -> Row:
    """INSERT one row into public.<table> and return it as a dict."""
    query = sql.SQL("INSERT INTO public.{} ({}) VALUES ({}) RETURNING *").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.Identifier(k) for k in values),
        sql.SQL(", ").join(sql.Placeholder() for _ in values),
    )
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(query, list(values.values())).fetchone()
    assert row is not None
    return row


def update(conn: Conn, table: str, row_id: uuid.UUID, values: dict[str, Any]) -> Row:
    """UPDATE one row of public.<table> by id and return it as a dict."""
    query = sql.SQL("UPDATE public.{} SET {} WHERE id = %s RETURNING *").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.SQL("{} = {}").format(sql.Identifier(k), sql.Placeholder()) for k in values),
    )
    with conn.cursor(row_factory=dict_row) as cur:
        row = cur.execute(query, [*values.values(), row_id]).fetchone()
    assert row is not None
    return row


def fetch(conn: Conn, query: str, params: Any = None) -> list[Row]:
    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute(query, params).fetchall()


def milestone(conn: Conn, client_id: uuid.UUID, organization: uuid.UUID, **values: Any) -> Row:
    return insert(conn, "success_milestones", {
        "client_id": client_id, "organization_id": organization, "milestone_name": "Milestone",
        **MILESTONE, **values,
    })


def interaction(conn: Conn, client_id: uuid.UUID, organization: uuid.UUID, **values: Any) -> Row:
    return insert(conn, "support_interactions", {
        "client_id": client_id, "organization_id": organization, **INTERACTION, **values,
    })


def snapshot(conn: Conn, client_id: uuid.UUID, organization: uuid.UUID, **values: Any) -> Row:
    return insert(conn, "customer_health", {"client_id": client_id, "organization_id": organization, **values})
