"""Rows for the health-table tests (brief 3a): organizations, clients and minimal valid rows."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg import sql
from psycopg.types.json import Jsonb

Conn = psycopg.Connection[tuple[Any, ...]]

# Bind as the JSON value null (None binds as SQL NULL).
JSON_NULL: Any = object()

TABLES = ("customer_health", "success_milestones", "support_interactions")

# The smallest row each table accepts (besides client_id / organization_id).
REQUIRED: dict[str, dict[str, Any]] = {
    "customer_health": {},
    "success_milestones": {
        "milestone_type": "onboarding", "milestone_category": "onboarding", "milestone_name": "Onboarding",
    },
    "support_interactions": {
        "interaction_type": "support_ticket", "interaction_category": "support",
        "interaction_method": "email", "subject": "Help",
    },
    "milestone_templates": {
        "template_key": "test_template", "milestone_name": "Test", "milestone_type": "onboarding",
        "milestone_category": "onboarding",
    },
}


def new_org(conn: Conn, name: str = "org") -> uuid.UUID:
    slug = f"{name}-{uuid.uuid4().hex[:8]}"
    row = conn.execute(
        "INSERT INTO public.organizations (name, slug) VALUES (%s, %s) RETURNING id", (name, slug)
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


def new_client(
    conn: Conn, org: uuid.UUID | None, *, wedding_date: date | None = None, created_at: datetime | None = None,
) -> uuid.UUID:
    row = conn.execute(
        "INSERT INTO public.clients (organization_id, first_name, wedding_date, created_at)"
        " VALUES (%s, 'Test', %s, coalesce(%s, now())) RETURNING id",
        (org, wedding_date, created_at),
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


def new_user(conn: Conn) -> uuid.UUID:
    row = conn.execute(
        "INSERT INTO auth.users (email) VALUES (%s) RETURNING id", (f"{uuid.uuid4().hex}@example.test",)
    ).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


def column_types(conn: Conn, table: str) -> dict[str, str]:
    """Column name → type without modifiers (used as the cast of each bound value)."""
    rows = conn.execute(
        """SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a
            WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped""",
        (f"public.{table}",),
    ).fetchall()
    return {str(name): str(typ) for name, typ in rows}


def insert(conn: Conn, table: str, values: Mapping[str, Any], types: Mapping[str, str],
           json_columns: frozenset[str] = frozenset()) -> uuid.UUID:
    """INSERT one row; each value is cast to its column's type. Returns the new id."""
    names = list(values)
    params = [_json(values[n]) if n in json_columns else values[n] for n in names]
    query = sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING id").format(
        sql.Identifier("public", table),
        sql.SQL(", ").join(map(sql.Identifier, names)),
        sql.SQL(", ").join(sql.SQL("%s::{}").format(sql.SQL(types[n])) for n in names),
    )
    row = conn.execute(query, params).fetchone()
    assert row is not None
    return uuid.UUID(str(row[0]))


def _json(value: Any) -> Any:
    if value is JSON_NULL:
        return Jsonb(None)
    return None if value is None else Jsonb(value)
