"""Helpers of the schema-integrity tests (issue 10): API callers as PostgREST makes them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from tests import health_data as hd

Conn = psycopg.Connection[tuple[Any, ...]]


def member(conn: Conn, organization: uuid.UUID, role: str = "ADMIN") -> uuid.UUID:
    """A new auth user with a profile in ``organization``."""
    user = uuid.uuid4()
    conn.execute("INSERT INTO auth.users (id, email) VALUES (%s, %s)", (user, f"{user.hex}@example.test"))
    conn.execute("INSERT INTO public.user_profiles (user_id, organization_id, role) VALUES (%s, %s, %s)",
                 (user, organization, role))
    return user


@contextmanager
def as_user(conn: Conn, user: uuid.UUID | None, platform_role: str | None = None,
            role: str = "authenticated") -> Iterator[None]:
    """Run the block as an API request (role + JWT claims, transaction-local), then back to the owner."""
    meta = {"platform_role": platform_role} if platform_role else {}
    claims = {"role": role, "app_metadata": meta} | ({"sub": str(user)} if user else {})
    conn.execute("DISCARD PLANS")
    conn.execute("SELECT set_config('role', %s, true), set_config('request.jwt.claims', %s, true)",
                 (role, json.dumps(claims)))
    try:
        yield
    finally:
        conn.execute("SELECT set_config('role', 'none', true), set_config('request.jwt.claims', '', true)")


def org_with_client(conn: Conn, **client: Any) -> tuple[uuid.UUID, uuid.UUID]:
    organization = hd.org(conn)
    return organization, hd.client(conn, organization, **client)
