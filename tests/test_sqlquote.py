"""Quoting filters: unit rules, and round trips through a real PostgreSQL."""

from __future__ import annotations

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthschema.errors import TemplateError
from healthschema.files.sqlquote import ident, jsonb, literal, qualified
from healthschema.pg import disposable

texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)


def test_plain_identifiers_stay_readable() -> None:
    assert ident("customer_health") == "customer_health"
    assert qualified("public", "clients") == "public.clients"


@pytest.mark.parametrize("name, quoted", [
    ("select", '"select"'), ("User", '"User"'), ('a"b', '"a""b"'), ("9lives", '"9lives"'), ("a b", '"a b"'),
])
def test_identifiers_that_need_quotes_get_them(name: str, quoted: str) -> None:
    assert ident(name) == quoted


@pytest.mark.parametrize("value, sql", [
    (None, "NULL"), (True, "true"), (False, "false"), (3, "3"), (0.25, "0.25"), ("it's", "'it''s'"),
    (["a", 1], "ARRAY['a', 1]"), ({"b": 1, "a": [2]}, '\'{"a": [2], "b": 1}\'::jsonb'),
])
def test_literals(value: object, sql: str) -> None:
    assert literal(value) == sql


def test_bad_values_are_rejected() -> None:
    with pytest.raises(TemplateError):
        ident("")
    with pytest.raises(TemplateError):
        literal("nul\x00byte")
    with pytest.raises(TemplateError):
        literal(float("nan"))
    with pytest.raises(TemplateError):
        literal(object())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts)
def test_literal_round_trips_through_postgres(empty_db: str, value: str) -> None:
    with psycopg.connect(empty_db) as conn:
        row = conn.execute(f"SELECT {literal(value)}::text").fetchone()  # type: ignore[arg-type]
    assert row == (value,)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=texts.filter(lambda s: 0 < len(s.encode()) <= 63))
def test_identifier_round_trips_through_postgres(empty_db: str, name: str) -> None:
    with psycopg.connect(empty_db) as conn:
        cur = conn.execute(f"SELECT 1 AS {ident(name)}")  # type: ignore[arg-type]
        assert cur.description is not None
        assert cur.description[0].name == name


def test_jsonb_is_sorted_and_valid(pg: disposable.DisposableServer, empty_db: str) -> None:
    value = {"z": [1, "two"], "a": {"nested": None}}
    with psycopg.connect(empty_db) as conn:
        expected = '{"a": {"nested": null}, "z": [1, "two"]}'
        row = conn.execute(f"SELECT {jsonb(value)} = %s::jsonb", [expected]).fetchone()  # type: ignore[arg-type]
    assert row == (True,)
