"""What a concurrent writer of the same client gets under REPEATABLE READ (docs/formulas.md,
"Serialised per client"): the current marker stays unique, and the loser gets an error a client
retries — 40001 when the client already had a current snapshot, 23505 on
customer_health_client_id_current_key for its very first one."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from tests import health_data as hd
from tests.integrity_helpers import org_with_client

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _race(applied_db: str, client: uuid.UUID, organization: uuid.UUID) -> BaseException | None:
    """``first`` (READ COMMITTED) writes a snapshot and holds it open; ``second`` (REPEATABLE READ,
    its snapshot taken before ``first`` commits) writes one for the same client, waits, and gets
    whatever PostgreSQL and the trigger give it once ``first`` commits."""
    failure: list[BaseException] = []
    with psycopg.connect(applied_db) as first, psycopg.connect(applied_db) as second:
        second.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        second.execute("SELECT 1")  # the transaction's snapshot: before first's row exists
        hd.snapshot(first, client, organization, calculated_at=T0 + timedelta(hours=1))

        def write() -> None:
            try:
                hd.snapshot(second, client, organization, calculated_at=T0 + timedelta(hours=2))
            except psycopg.Error as exc:
                failure.append(exc)

        waiter = threading.Thread(target=write)
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive()  # it waits for first's lock
        first.commit()
        waiter.join(10)
        second.rollback()
    return failure[0] if failure else None


def _current(applied_db: str, client: uuid.UUID) -> int:
    with psycopg.connect(applied_db, autocommit=True) as check:
        row = check.execute("SELECT count(*) FROM public.customer_health WHERE client_id = %s AND is_current",
                            (client,)).fetchone()
    assert row is not None
    return int(row[0])


def test_a_later_snapshot_fails_with_40001(applied_db: str) -> None:
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization, client = org_with_client(setup)
        hd.snapshot(setup, client, organization, calculated_at=T0)
    failure = _race(applied_db, client, organization)
    assert isinstance(failure, psycopg.errors.SerializationFailure), repr(failure)
    assert _current(applied_db, client) == 1


def test_a_first_snapshot_fails_with_a_unique_violation(applied_db: str) -> None:
    with psycopg.connect(applied_db, autocommit=True) as setup:
        organization, client = org_with_client(setup)
    failure = _race(applied_db, client, organization)
    assert isinstance(failure, psycopg.errors.UniqueViolation), repr(failure)
    assert failure.diag.constraint_name == "customer_health_client_id_current_key"
    assert _current(applied_db, client) == 1
