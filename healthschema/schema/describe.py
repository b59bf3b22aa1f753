"""A normalised, deterministic description of a database's schema objects.

:func:`describe` reads the system catalogs (read-only) and returns one :class:`Entry` per
object, keyed by a stable name such as ``relation public.customer_health``,
``column public.customer_health.client_id`` or ``grant relation public.x to authenticated``.
Each entry names its parent (a column's table, a grant's object) so that extra objects
*inside* an object we own can be found. Everything that depends on the server rather than the
schema is left out or normalised, so the same migrations describe identically on PostgreSQL 15
and 18: OIDs and owners are never recorded, grants to the owner are dropped, PostgreSQL 18's
NOT NULL constraints are folded into the column's ``not_null``, and a table grant holding every
privilege is written ``ALL`` (PostgreSQL 17 added MAINTAIN). Bookkeeping (the meta schema),
system schemas and extension members are excluded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from healthschema.pg import connect as db

QUERIES = (
    "describe/schemas",
    "describe/relations",
    "describe/columns",
    "describe/constraints",
    "describe/indexes",
    "describe/triggers",
    "describe/policies",
    "describe/functions",
    "describe/types",
    "describe/grants",
)
# Every table privilege of PostgreSQL 15; 17+ adds MAINTAIN. A superset of these is "ALL".
TABLE_PRIVILEGES = frozenset({"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"})
# A relation named in FROM/JOIN without an alias (the next token is a clause keyword or the end).
_UNALIASED = re.compile(
    r"\b(?:FROM|JOIN)\s+(?:[A-Za-z_][\w$]*\.)?([A-Za-z_][\w$]*)"
    r"(?=\s*(?:$|;|\)|,|WHERE\b|GROUP\b|ORDER\b|LIMIT\b|HAVING\b|WINDOW\b|UNION\b|JOIN\b|LEFT\b|RIGHT\b"
    r"|INNER\b|FULL\b|CROSS\b|ON\b))",
    re.M,
)
KINDS = ("schema", "extension", "type", "relation", "column", "constraint", "index", "trigger", "policy",
         "function", "grant")


@dataclass(frozen=True)
class Entry:
    """One object: its kind, schema, parent key (or None) and normalised attributes."""

    kind: str
    schema: str | None
    parent: str | None
    attrs: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "schema": self.schema, "parent": self.parent, "attrs": self.attrs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entry:
        return cls(data["kind"], data.get("schema"), data.get("parent"), dict(data["attrs"]))


Catalog = dict[str, Entry]


def _normalise_grant(attrs: dict[str, Any], is_relation: bool) -> dict[str, Any]:
    privileges = set(attrs["privileges"])
    grantable = set(attrs["grantable"])
    if is_relation and privileges >= TABLE_PRIVILEGES:
        privileges = {"ALL"}
        grantable = {"ALL"} if grantable >= TABLE_PRIVILEGES else grantable - {"MAINTAIN"}
    return {"privileges": sorted(privileges), "grantable": sorted(grantable)}


def normalise_view_definition(definition: str) -> str:
    """Drop ``rel.`` before column names where ``rel`` is an unaliased relation of the query:
    PostgreSQL 15 prints ``SELECT parent.code FROM s.parent``, 16+ ``SELECT code FROM s.parent``."""
    for name in sorted(set(_UNALIASED.findall(definition)), key=len, reverse=True):
        definition = re.sub(rf"(?<![\w.\"]){re.escape(name)}\.(?=[A-Za-z_\"])", "", definition)
    return definition


def _entry(kind: str, schema: str | None, parent: str | None, attrs: dict[str, Any]) -> Entry:
    if kind == "grant":
        attrs = _normalise_grant(attrs, parent is not None and parent.startswith("relation "))
    elif kind == "relation" and isinstance(attrs.get("definition"), str):
        attrs = {**attrs, "definition": normalise_view_definition(attrs["definition"])}
    return Entry(kind, schema, parent, attrs)


def describe(conn: db.Connection, exclude_schemas: tuple[str, ...] = ()) -> Catalog:
    """Describe every user object of the database ``conn`` is connected to.

    ``exclude_schemas`` (e.g. the meta schema) are left out, as are system schemas and
    objects that belong to an extension. The queries run with an empty ``search_path`` (restored
    afterwards) so that definitions name every object with its schema.
    """
    params = {"excluded": list(exclude_schemas)}
    catalog: Catalog = {}
    previous = db.fetch_value(conn, "describe/search_path", {"search_path": ""})
    try:
        for name in QUERIES:
            for key, kind, schema, parent, attrs in db.fetch_all(conn, name, params):
                catalog[key] = _entry(kind, schema, parent, attrs)
    finally:
        db.fetch_value(conn, "describe/search_path", {"search_path": previous})
    return dict(sorted(catalog.items()))


def describe_url(url: str, exclude_schemas: tuple[str, ...] = ()) -> Catalog:
    """:func:`describe` over a new read-only connection to ``url``."""
    with db.connection(url) as conn:
        conn.read_only = True
        return describe(conn, exclude_schemas)


def to_json(catalog: Catalog) -> dict[str, Any]:
    """A JSON-ready mapping ``key -> entry`` (sorted)."""
    return {key: catalog[key].to_dict() for key in sorted(catalog)}


def from_json(data: dict[str, Any]) -> Catalog:
    return {key: Entry.from_dict(value) for key, value in sorted(data.items())}


def ancestors(catalog: Catalog, key: str) -> list[str]:
    """The chain of parents of ``key`` (nearest first), as far as ``catalog`` knows them."""
    chain = []
    parent = catalog[key].parent if key in catalog else None
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = catalog[parent].parent if parent in catalog else None
    return chain


def count(catalog: Catalog, kind: str) -> int:
    return sum(1 for entry in catalog.values() if entry.kind == kind)


@dataclass(frozen=True)
class Change:
    """A difference between two catalogs: ``expected`` or ``found`` is None when missing/extra."""

    key: str
    expected: dict[str, Any] | None
    found: dict[str, Any] | None

    @property
    def state(self) -> str:
        if self.found is None:
            return "missing"
        if self.expected is None:
            return "extra"
        return "changed"

    def changed_attributes(self) -> list[str]:
        if self.expected is None or self.found is None:
            return []
        names = sorted(set(self.expected) | set(self.found))
        return [name for name in names if self.expected.get(name) != self.found.get(name)]

    def describe(self) -> str:
        """One line naming the object, what was expected and what was found."""
        if self.state == "missing":
            return f"missing {self.key}"
        if self.state == "extra":
            return f"extra {self.key}: found {_short(self.found)}"
        parts = [
            f"{name}: expected {_value(self.expected, name)}, found {_value(self.found, name)}"
            for name in self.changed_attributes()
        ]
        return f"changed {self.key}: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"object": self.key, "state": self.state, "expected": self.expected, "found": self.found,
                "attributes": self.changed_attributes()}


def _value(attrs: dict[str, Any] | None, name: str) -> str:
    value = (attrs or {}).get(name)
    text = " ".join(str(value).split()) if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def _short(attrs: dict[str, Any] | None) -> str:
    shown = {k: v for k, v in (attrs or {}).items() if v not in (None, [], {}, False)}
    text = ", ".join(f"{k}={_value(shown, k)}" for k in sorted(shown))
    return text if len(text) <= 300 else text[:297] + "..."


def diff(before: Catalog, after: Catalog) -> list[Change]:
    """Every entry that differs between ``before`` and ``after`` (sorted by key)."""
    keys = sorted(set(before) | set(after))
    changes = []
    for key in keys:
        old = before[key].attrs if key in before else None
        new = after[key].attrs if key in after else None
        if old != new:
            changes.append(Change(key, old, new))
    return changes
