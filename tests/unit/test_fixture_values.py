"""The values policy-check's fixture puts into a platform's extra NOT NULL columns (pure)."""

from __future__ import annotations

from typing import Any

from healthschema.checks.fixture_values import ColumnNeed, values_for


def need(base: str, category: str, kind: str = "b", type_name: str | None = None, **extra: Any) -> ColumnNeed:
    return ColumnNeed("public", "clients", "c", type_name or base, base, kind, category, **extra)


def test_value_sets_enums_and_domains() -> None:
    in_list = "CHECK (((c)::text = ANY ((ARRAY['eu'::character varying, 'us'::character varying])::text[])))"
    assert values_for(need("varchar", "S", checks=(in_list,)), 2, "abc").values == ("eu", "eu")
    assert values_for(need("tier", "E", kind="e", first_label="bronze"), 2, "abc").values == ("bronze", "bronze")
    domain_set = "CHECK ((VALUE = ANY (ARRAY['x'::text, 'y'::text])))"
    assert values_for(need("text", "S", checks=(domain_set,), unique=True), 2, "abc").values == ("x", "y")


def test_numeric_bounds_from_checks() -> None:
    assert values_for(need("int4", "N", checks=("CHECK ((c > 5))",)), 1, "abc").values == ("6",)
    between = "CHECK (((VALUE >= 10) AND (VALUE <= 20)))"
    assert values_for(need("int4", "N", checks=(between,), unique=True), 3, "abc").values == ("10", "11", "12")
    below_one = "CHECK ((c < (1)::double precision))"
    assert values_for(need("float8", "N", checks=(below_one,)), 2, "abc").values == ("0.5", "0.5")
    none_left = values_for(need("int4", "N", checks=("CHECK ((c > 5))", "CHECK ((c < 6))")), 1, "abc")
    assert none_left.reason == "its CHECK constraints leave no number policy-check can choose"


def test_unique_columns_get_distinct_values_within_their_length() -> None:
    short = values_for(need("varchar", "S", typmod=3 + 4, unique=True), 4, "9f8e7d6c5b4a")
    assert len(set(short.values)) == 4 and all(len(v) <= 3 for v in short.values)
    ids = values_for(need("uuid", "U", unique=True), 6, "abc").values
    assert len(set(ids)) == 6
    dates = values_for(need("date", "D", unique=True), 3, "001").values
    assert len(set(dates)) == 3


def test_arrays_json_and_times() -> None:
    assert values_for(need("_text", "A", element="text", element_kind="b", element_category="S"), 1,
                      "abc").values[0].startswith('{"policy-check-abc-0')
    assert values_for(need("_tier", "A", element="tier", element_kind="e", element_category="E",
                           first_label="gold"), 1, "abc").values == ('{"gold"}',)
    assert values_for(need("jsonb", "U"), 1, "abc").values == ("{}",)
    assert values_for(need("timestamptz", "D"), 1, "abc").values == ("2030-01-01T00:00:00+00:00",)
    assert values_for(need("interval", "T"), 1, "abc").values == ("1 seconds",)


def test_what_cannot_be_filled_says_why() -> None:
    composite = values_for(need("address", "C", kind="c", type_name="address"), 1, "abc")
    assert composite.reason == "policy-check has no value for type address"
    foreign = values_for(need("uuid", "U", references="auth.users"), 1, "abc")
    assert foreign.reason.startswith("it is a foreign key to auth.users")
    assert "no value for type point" in values_for(need("point", "G", type_name="point"), 1, "abc").reason
