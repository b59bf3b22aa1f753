"""A typed model of the schema, built from catalog entries (the committed snapshot or a live database).

Input is what :mod:`healthschema.catalog` describes and ``migrations/expected_snapshot.json`` records:
a mapping ``key -> Entry(kind, schema, parent, attrs)``. :func:`build` turns it into frozen
dataclasses — tables and views with their columns (type, nullability, default, the allowed values a
CHECK such as ``status IN (...)`` enforces), keys, foreign keys, indexes (columns, partial predicate,
comment), policies and triggers; functions; types; grants — so types, lint, bench and deploy read
attributes instead of string keys. Models compare with ``==``: the model of a database that verifies
clean equals the model of the snapshot (:func:`cumulative`, :func:`ours`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from healthschema.errors import ConfigError
from healthschema.schema import definitions as defs
from healthschema.schema import describe as catalog
from healthschema.schema.snapshot import Snapshot, created_by, expected_after
from healthschema.schema.views import view_column_sources

API_ROLES = ("anon", "authenticated", "service_role")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as format_type prints it, e.g. "character varying(20)", "uuid[]"
    not_null: bool
    default: str | None
    generated: str | None
    identity: str | None
    comment: str | None
    allowed_values: tuple[str, ...] | None = None  # from a CHECK value set (IN / = ANY)
    never_null: bool = False  # not_null, or (views) guaranteed by the underlying column

    @property
    def is_array(self) -> bool:
        return self.type.endswith("[]")

    @property
    def base_type(self) -> str:
        """The type without array brackets and modifiers: ``character varying``, ``numeric``, ``uuid``."""
        return re.sub(r"\(.*?\)", "", self.type.removesuffix("[]")).strip()

    @property
    def has_default(self) -> bool:
        return self.default is not None or self.identity is not None or self.generated is not None


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    referenced_schema: str | None
    referenced_table: str
    referenced_columns: tuple[str, ...]
    on_delete: str
    on_update: str
    one_to_one: bool  # the columns are also a primary key or unique key of this table


@dataclass(frozen=True)
class Check:
    name: str
    definition: str
    value_set: tuple[str, tuple[str, ...]] | None


@dataclass(frozen=True)
class Index:
    name: str
    definition: str
    unique: bool
    method: str
    columns: tuple[str | None, ...]
    elements: tuple[str, ...]
    include: tuple[str, ...]
    predicate: str | None
    comment: str | None
    constraint: str | None
    valid: bool
    primary: bool = False  # the index of the table's primary key


@dataclass(frozen=True)
class Policy:
    name: str
    command: str
    permissive: bool
    roles: tuple[str, ...]
    using: str | None
    with_check: str | None


@dataclass(frozen=True)
class Trigger:
    name: str
    definition: str
    enabled: str
    timing: str | None
    events: tuple[str, ...]
    level: str | None
    function: str | None


@dataclass(frozen=True)
class Grant:
    object: str  # the object's catalog key, e.g. "relation public.x", "function s.f(a integer)"
    grantee: str
    privileges: tuple[str, ...]
    grantable: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    kind: str  # table, view, materialized view, foreign table, partitioned table
    comment: str | None
    rls_enabled: bool
    rls_forced: bool
    definition: str | None
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    unique_keys: tuple[tuple[str, ...], ...]
    checks: tuple[Check, ...]
    foreign_keys: tuple[ForeignKey, ...]
    indexes: tuple[Index, ...]
    policies: tuple[Policy, ...]
    triggers: tuple[Trigger, ...]

    @property
    def key(self) -> str:
        return f"relation {_qualified(self.schema, self.name)}"

    @property
    def is_view(self) -> bool:
        return self.kind in ("view", "materialized view")

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.schema}.{self.name} has no column {name}")


@dataclass(frozen=True)
class Argument:
    name: str | None
    type: str
    mode: str
    has_default: bool


@dataclass(frozen=True)
class Function:
    schema: str
    name: str
    key: str
    kind: str
    arguments: tuple[Argument, ...]
    result: str
    language: str
    volatility: str
    security_definer: bool
    config: tuple[str, ...]
    comment: str | None

    @property
    def returns_set(self) -> bool:
        return self.result.startswith(("SETOF ", "TABLE("))

    @property
    def is_trigger(self) -> bool:
        return self.result in ("trigger", "event_trigger")


@dataclass(frozen=True)
class TypeDef:
    schema: str
    name: str
    kind: str  # enum or domain
    labels: tuple[str, ...]
    base: str | None
    not_null: bool
    default: str | None
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class SchemaModel:
    tables: tuple[Table, ...]
    functions: tuple[Function, ...]
    types: tuple[TypeDef, ...]
    grants: tuple[Grant, ...]
    schemas: tuple[str, ...] = field(default=())  # schemas the entries create (not e.g. public)

    def table(self, schema: str, name: str) -> Table:
        for table in self.tables:
            if (table.schema, table.name) == (schema, name):
                return table
        raise KeyError(f"no table {schema}.{name}")

    def grants_on(self, key: str) -> list[Grant]:
        return [g for g in self.grants if g.object == key]

    def _allows(self, key: str, role: str, privilege: str) -> bool:
        return any(g.grantee in (role, "PUBLIC") and privilege in g.privileges for g in self.grants_on(key))

    def executors(self, function: Function) -> tuple[str, ...]:
        """The API roles that may call ``function``: EXECUTE on it and USAGE on its schema (a
        schema these entries do not create, such as ``public``, is the platform's and usable)."""
        schema_key = f"schema {_quote(function.schema)}"
        return tuple(
            role for role in API_ROLES
            if self._allows(function.key, role, "EXECUTE")
            and (function.schema not in self.schemas or self._allows(schema_key, role, "USAGE"))
        )

    def index_counts(self) -> dict[str, dict[str, int]]:
        """Per table with indexes: ``{"indexes": explicit ones, "primary_key": 0 or 1}``
        (``pg_indexes`` shows their sum)."""
        return {
            f"{t.schema}.{t.name}": {"indexes": sum(not i.primary for i in t.indexes),
                                     "primary_key": sum(i.primary for i in t.indexes)}
            for t in self.tables if t.indexes
        }


def _quote(name: str) -> str:
    return name if re.fullmatch(r"[a-z_][a-z0-9_$]*", name) else '"' + name.replace('"', '""') + '"'


def _qualified(*parts: str) -> str:
    return ".".join(_quote(p) for p in parts)


def _name(key: str) -> str:
    """The last name of a key such as ``column public.t.c`` (quoted identifiers respected)."""
    return defs.split_qualified(key.split(" ", 1)[1])[-1]


def _children(entries: Mapping[str, catalog.Entry], kind: str) -> dict[str, list[tuple[str, catalog.Entry]]]:
    grouped: dict[str, list[tuple[str, catalog.Entry]]] = {}
    for key, entry in sorted(entries.items()):
        if entry.kind == kind and entry.parent is not None:
            grouped.setdefault(entry.parent, []).append((key, entry))
    return grouped


def _column(key: str, entry: catalog.Entry, allowed: dict[str, tuple[str, ...]]) -> Column:
    a = entry.attrs
    name = _name(key)
    return Column(name, a["type"], bool(a["not_null"]), a.get("default"), a.get("generated"), a.get("identity"),
                  a.get("comment"), allowed.get(name), bool(a["not_null"]))


def _check(key: str, entry: catalog.Entry) -> Check:
    definition = entry.attrs["definition"]
    return Check(_name(key), definition, defs.value_set(definition))


def _value_sets(checks: Iterable[Check]) -> dict[str, tuple[str, ...]]:
    """Allowed values per column; several value-set CHECKs on one column intersect."""
    allowed: dict[str, tuple[str, ...]] = {}
    for check in checks:
        if check.value_set is not None:
            column, values = check.value_set
            previous = allowed.get(column)
            allowed[column] = values if previous is None else tuple(v for v in previous if v in values)
    return allowed


def _index(key: str, entry: catalog.Entry, primary_names: frozenset[str] = frozenset()) -> Index:
    a = entry.attrs
    parsed = defs.index(a["definition"])
    return Index(
        name=_name(key), definition=a["definition"], unique=parsed.unique if parsed else False,
        method=parsed.method if parsed else "", columns=parsed.columns if parsed else (),
        elements=parsed.elements if parsed else (), include=parsed.include if parsed else (),
        predicate=parsed.predicate if parsed else None, comment=a.get("comment"),
        constraint=a.get("constraint"), valid=bool(a.get("valid", True)),
        primary=a.get("constraint") in primary_names,
    )


def _policy(key: str, entry: catalog.Entry) -> Policy:
    a = entry.attrs
    return Policy(_name(key), a["command"], bool(a["permissive"]), tuple(a["roles"]), a.get("using"),
                  a.get("with_check"))


def _trigger(key: str, entry: catalog.Entry) -> Trigger:
    a = entry.attrs
    parsed = defs.trigger(a["definition"])
    return Trigger(_name(key), a["definition"], a.get("enabled", "enabled"), parsed.timing if parsed else None,
                   parsed.events if parsed else (), parsed.level if parsed else None,
                   parsed.function if parsed else None)


def _keys(constraints: list[tuple[str, catalog.Entry]], kind: str) -> list[tuple[str, ...]]:
    found = []
    for _key, entry in constraints:
        if entry.attrs["type"] == kind:
            columns = defs.key_columns(entry.attrs["definition"])
            if columns is not None:
                found.append(columns)
    return found


def _foreign_keys(constraints: list[tuple[str, catalog.Entry]], unique: list[tuple[str, ...]]) -> list[ForeignKey]:
    result = []
    for key, entry in constraints:
        if entry.attrs["type"] != "foreign key":
            continue
        parsed = defs.foreign_key(entry.attrs["definition"])
        if parsed is None:
            continue
        result.append(ForeignKey(_name(key), parsed.columns, parsed.referenced_schema, parsed.referenced_table,
                                 parsed.referenced_columns, parsed.on_delete, parsed.on_update,
                                 any(set(u) == set(parsed.columns) for u in unique)))
    return result


def _table(key: str, entry: catalog.Entry, kids: dict[str, dict[str, list[tuple[str, catalog.Entry]]]]) -> Table:
    a = entry.attrs
    constraints = kids["constraint"].get(key, [])
    checks = tuple(_check(k, e) for k, e in constraints if e.attrs["type"] == "check")
    allowed = _value_sets(checks)
    primary = _keys(constraints, "primary key")
    primary_names = frozenset(_name(k) for k, e in constraints if e.attrs["type"] == "primary key")
    unique = _keys(constraints, "unique")
    unique += [tuple(c for c in i.columns if c) for i in (_index(k, e) for k, e in kids["index"].get(key, []))
               if i.unique and i.predicate is None and None not in i.columns and i.constraint is None]
    schema, name = defs.split_qualified(key.split(" ", 1)[1])
    return Table(
        schema=schema, name=name, kind=a["relkind"], comment=a.get("comment"),
        rls_enabled=bool(a.get("rls_enabled")), rls_forced=bool(a.get("rls_forced")), definition=a.get("definition"),
        columns=tuple(_column(k, e, allowed) for k, e in kids["column"].get(key, [])),
        primary_key=primary[0] if primary else (), unique_keys=tuple(sorted(set(unique))), checks=checks,
        foreign_keys=tuple(_foreign_keys(constraints, [*primary, *unique])),
        indexes=tuple(_index(k, e, primary_names) for k, e in kids["index"].get(key, [])),
        policies=tuple(_policy(k, e) for k, e in kids["policy"].get(key, [])),
        triggers=tuple(_trigger(k, e) for k, e in kids["trigger"].get(key, [])),
    )


def _function(key: str, entry: catalog.Entry) -> Function:
    a = entry.attrs
    signature = key.split(" ", 1)[1]
    schema, name = defs.split_qualified(signature[: signature.index("(")])
    args = tuple(Argument(d.name, d.type, d.mode, d.has_default) for d in defs.arguments(a.get("arguments") or ""))
    return Function(schema, name, key, a.get("kind", "function"), args, a.get("result") or "void",
                    a.get("language", ""), a.get("volatility", "volatile"), bool(a.get("security_definer")),
                    tuple(a.get("config") or ()), a.get("comment"))


def _type(key: str, entry: catalog.Entry, kids: dict[str, dict[str, list[tuple[str, catalog.Entry]]]]) -> TypeDef:
    a = entry.attrs
    schema, name = defs.split_qualified(key.split(" ", 1)[1])
    checks = tuple(_check(k, e) for k, e in kids["constraint"].get(key, []) if e.attrs["type"] == "check")
    return TypeDef(schema, name, a["kind"], tuple(a.get("labels") or ()), a.get("base"), bool(a.get("not_null")),
                   a.get("default"), checks)


def _with_view_nullability(tables: list[Table]) -> list[Table]:
    """View columns that a simple view takes unchanged from a NOT NULL column become never_null
    (and keep that column's allowed values); see :mod:`healthschema.schema.views`."""
    by_name = {(t.schema, t.name): t for t in tables}
    result = []
    for table in tables:
        if not table.is_view or not table.definition:
            result.append(table)
            continue
        sources = view_column_sources(table.definition)
        columns = []
        for column in table.columns:
            source = sources.get(column.name)
            base = by_name.get(source[0]) if source else None
            base_column = next((c for c in base.columns if c.name == source[1]), None) if base and source else None
            if base_column is not None:
                column = Column(column.name, column.type, column.not_null, column.default, column.generated,
                                column.identity, column.comment, base_column.allowed_values,
                                column.not_null or base_column.never_null)
            columns.append(column)
        result.append(Table(**{**table.__dict__, "columns": tuple(columns)}))
    return result


def build(entries: Mapping[str, catalog.Entry]) -> SchemaModel:
    """The typed model of catalog ``entries`` (from :func:`cumulative`, :func:`ours` or
    :func:`healthschema.catalog.describe`)."""
    kids = {kind: _children(entries, kind) for kind in ("column", "constraint", "index", "policy", "trigger")}
    tables = [_table(k, e, kids) for k, e in sorted(entries.items())
              if e.kind == "relation" and e.attrs.get("relkind") != "sequence"]
    functions = tuple(_function(k, e) for k, e in sorted(entries.items()) if e.kind == "function")
    types = tuple(_type(k, e, kids) for k, e in sorted(entries.items()) if e.kind == "type")
    grants = tuple(
        Grant(e.parent or "", k.rsplit(" to ", 1)[1], tuple(e.attrs["privileges"]), tuple(e.attrs["grantable"]))
        for k, e in sorted(entries.items()) if e.kind == "grant"
    )
    schemas = tuple(sorted(_name(k) for k, e in entries.items() if e.kind == "schema"))
    return SchemaModel(tuple(_with_view_nullability(tables)), functions, types, grants, schemas)


def from_json(data: Mapping[str, object]) -> SchemaModel:
    """:func:`build` from entries in the snapshot's JSON form (``key -> {"kind", "schema", "parent", "attrs"}``)."""
    return build({key: catalog.Entry.from_dict(value) for key, value in data.items()})  # type: ignore[arg-type]


def _ids_up_to(snapshot: Snapshot, version: str | None) -> list[str]:
    ids = [m.id for m in snapshot.migrations]
    if version is None:
        return ids
    matches = [i for i, mid in enumerate(ids) if mid == version or mid.split("_", 1)[0] == version]
    if not matches:
        raise ConfigError(f"no migration {version!r} in the snapshot", hint="give a version such as " + ids[-1])
    return ids[: matches[0] + 1]


def cumulative(snapshot: Snapshot, up_to: str | None = None) -> catalog.Catalog:
    """The expected catalog after every migration of the snapshot, or after those up to and
    including version ``up_to`` (its 14-digit version or full id).

    :raises ConfigError: ``up_to`` names no migration of the snapshot.
    """
    return expected_after(snapshot, _ids_up_to(snapshot, up_to))


def ours(live: catalog.Catalog, snapshot: Snapshot, applied: list[str]) -> catalog.Catalog:
    """The part of a live catalog the applied migrations account for: every key they expect, and
    every live object inside an object they created (so an extra column on our table is kept,
    and the platform's own tables are not)."""
    expected = expected_after(snapshot, applied)
    owned = created_by(snapshot, applied)
    return {
        key: entry for key, entry in live.items()
        if key in expected or key in owned or any(p in owned for p in catalog.ancestors(live, key))
    }
