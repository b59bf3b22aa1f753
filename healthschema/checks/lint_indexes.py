"""Redundant indexes (SPEC §2.3): duplicates and left prefixes on the same table (pure logic).

Two indexes are comparable when they use the same access method, predicate and expressions; one is
redundant when its key columns (with their operator classes, collations and sort options) equal, or are a left
prefix of, the other's. An index that enforces something (unique, primary key, exclusion) is never
the redundant one: dropping it would drop the constraint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from healthschema.checks.lint_findings import INDEX_RULES, LintFinding, level_of


@dataclass(frozen=True)
class Index:
    schema: str
    table: str
    name: str
    method: str
    keys: tuple[int, ...]  # key columns only (INCLUDE columns left out); 0 = an expression
    expressions: str
    predicate: str
    opclasses: tuple[str, ...]
    collations: tuple[str, ...]
    options: tuple[int, ...]
    enforces: bool

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Index:
        (schema, table, name, method, keys, key_count, expressions, predicate, opclasses, collations, options,
         enforces) = row
        return cls(schema, table, name, method, tuple(keys[:key_count]), expressions, predicate,
                   tuple(_oids(opclasses)[:key_count]), tuple(_oids(collations)[:key_count]),
                   tuple(options[:key_count]), bool(enforces))

    def columns(self) -> tuple[tuple[int, str, str, int], ...]:
        return tuple(zip(self.keys, self.opclasses, self.collations, self.options, strict=True))


def _oids(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


def _comparable(a: Index, b: Index) -> bool:
    return (a.schema, a.table, a.method, a.expressions, a.predicate) == (b.schema, b.table, b.method,
                                                                           b.expressions, b.predicate)


def redundant(indexes: list[Index]) -> list[LintFinding]:
    """One finding per index that duplicates, or is a left prefix of, another of its table."""
    findings = []
    for index in indexes:
        if index.enforces:
            continue
        for other in indexes:
            if other.name == index.name or not _comparable(index, other):
                continue
            mine, theirs = index.columns(), other.columns()
            table = f"{index.schema}.{index.table}"
            if mine == theirs and (other.enforces or other.name < index.name):
                findings.append(_finding("index_duplicate", f"index {index.name} duplicates {other.name} on {table}",
                                         f"{table}.{index.name}"))
                break
            if len(mine) < len(theirs) and theirs[: len(mine)] == mine and index.method == "btree":
                findings.append(_finding("index_left_prefix",
                                         f"index {index.name} is a left prefix of {other.name} on {table}",
                                         f"{table}.{index.name}"))
                break
    return findings


def _finding(rule: str, message: str, obj: str) -> LintFinding:
    return LintFinding(rule, message, INDEX_RULES[rule].hint, level_of(rule), object=obj)
