"""Type-correct values for the platform columns policy-check's fixture must fill (pure).

A platform table may have NOT NULL columns without a default that healthschema knows nothing
about (issue 11: one more column in ``auth.users`` or ``clients``). :func:`values_for` derives a value
per fixture row from what the catalog says about the column (:class:`ColumnNeed`): its type after
resolving domains (base types, enums — the first label —, arrays, uuid, text, numbers, dates and
times, booleans, json), its length limit, simple CHECK constraints of the column or its domains
(value sets, numeric bounds), and uniqueness (distinct values per row). A column it cannot fill (a
type with no sensible value, a foreign key) gets a reason instead, so the caller can name exactly
that column.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

from healthschema.schema.definitions import unquote, value_set

_TEXT_CATEGORY = "S"
_NUMBER_TYPES = {"int2": 32767, "int4": 2147483647, "int8": 9223372036854775807,
                 "numeric": None, "float4": None, "float8": None}
_EPOCH = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
_BOUND = re.compile(r"^\(*(?P<col>\"(?:[^\"]|\"\")+\"|[A-Za-z_][\w$]*)\)*(?:::[\w .\"]+)*\)*\s*"
                    r"(?P<op><=|>=|<|>)\s*\(*'?(?P<num>-?\d+(?:\.\d+)?)'?\)*(?:::[\w .\"]+)*\)*$")


@dataclass(frozen=True)
class ColumnNeed:
    """A NOT NULL column without a default of a platform table the fixture writes (from the catalog)."""

    schema: str
    table: str
    column: str
    type_name: str  # format_type(), e.g. "public.tier", "character varying(20)"
    base: str  # typname after resolving domains, e.g. "varchar", "_text" for text[]
    kind: str  # typtype of the base: b(ase), e(num), c(omposite), r(ange), m(ultirange), p(seudo)
    category: str  # typcategory of the base: S, N, D, B, U, A, T, I, ...
    typmod: int | None = None  # of the column or its domain (varchar length, numeric precision)
    element: str | None = None  # arrays: the element's typname
    element_kind: str | None = None
    element_category: str | None = None
    first_label: str | None = None  # enums (or arrays of an enum): the first label
    unique: bool = False  # in a unique index: every row needs its own value
    checks: tuple[str, ...] = ()  # CHECK definitions on this column alone, and of its domains (VALUE)
    constraints: tuple[str, ...] = ()  # names of every constraint or unique index involving it
    references: str | None = None  # a foreign key's target table (schema.table)
    referenced_column: str | None = None  # ... and its column, for a one-column foreign key

    @property
    def name(self) -> str:
        return f"{self.schema}.{self.table}.{self.column}"

    def describe(self) -> str:
        """``schema.table.column (type)``: how messages name the column."""
        return f"{self.name} ({self.type_name})"


@dataclass(frozen=True)
class Values:
    """The text values for ``count`` rows (cast by the server), or why there are none."""

    values: tuple[str, ...] = ()
    reason: str = ""

    @property
    def ok(self) -> bool:
        return not self.reason


def values_for(need: ColumnNeed, count: int, salt: str) -> Values:
    """One value per row for ``need`` (distinct per row where it is unique); ``salt``: hex digits
    that make text and numbers unlikely to collide with the platform's own rows."""
    if need.references:
        return Values(reason=f"it is a foreign key to {need.references}, and policy-check writes no row "
                             "there it could point at")
    allowed = _allowed_values(need)
    if allowed is not None:
        if need.first_label is not None and need.category != "A":
            allowed = allowed or (need.first_label,)
        if not allowed:
            return Values(reason="its CHECK constraints allow no value")
        picks = [allowed[i % len(allowed)] for i in range(count)] if need.unique else [allowed[0]] * count
        return Values(tuple(picks))
    if need.category == "A":
        return _array(need, count, salt)
    values = [_scalar(need.base, need.kind, need.category, need.first_label, need, i, salt) for i in range(count)]
    if any(v is None for v in values):
        if need.base in _NUMBER_TYPES and need.checks:
            return Values(reason="its CHECK constraints leave no number policy-check can choose")
        return Values(reason=f"policy-check has no value for type {need.type_name}")
    return Values(tuple(v for v in values if v is not None))


def _allowed_values(need: ColumnNeed) -> tuple[str, ...] | None:
    """The intersection of the value sets the column's CHECKs allow (None: no value set)."""
    allowed: tuple[str, ...] | None = None
    for definition in need.checks:
        found = value_set(definition)
        if found is None or found[0] not in (need.column, "VALUE"):
            continue
        allowed = found[1] if allowed is None else tuple(v for v in allowed if v in found[1])
    return allowed


def _bounds(need: ColumnNeed) -> tuple[float | None, bool, float | None, bool]:
    """Numeric bounds from CHECKs like ``col >= 1 AND col <= 5``: (low, strict, high, strict)."""
    low: float | None = None
    high: float | None = None
    low_strict = high_strict = False
    for definition in need.checks:
        body = definition.strip().removesuffix(" NOT VALID").strip()
        if not body.startswith("CHECK"):
            continue
        body = body[5:].strip()
        for part in _conjuncts(body):
            match = _BOUND.match(part)
            if match is None or unquote(match["col"]) not in (need.column, "VALUE"):
                continue
            number, op = float(match["num"]), match["op"]
            if op.startswith(">") and (low is None or number >= low):
                low, low_strict = number, op == ">"
            elif op.startswith("<") and (high is None or number <= high):
                high, high_strict = number, op == "<"
    return low, low_strict, high, high_strict


def _conjuncts(text: str) -> list[str]:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    parts = re.split(r"\s+AND\s+", text)
    return [p.strip() for p in parts if _balanced(p)] if len(parts) > 1 else [text]


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _number(need: ColumnNeed, index: int, salt: str) -> str | None:
    low, low_strict, high, high_strict = _bounds(need)
    integer = need.base in ("int2", "int4", "int8")
    step = 1.0 if integer else 0.5
    start = 1.0
    if low is not None:
        start = low + step if low_strict else low
    elif high is not None and (high < 1 or high_strict and high <= 1):
        start = high - step if high_strict else high
    offset = int(salt[:3], 16) if need.unique and high is None and need.typmod is None else 0
    value = start + offset + (index * (1 if integer else 0.001) if need.unique else 0)
    if high is not None and (value > high or high_strict and value >= high):
        return None
    limit = _NUMBER_TYPES.get(need.base)
    if limit is not None and abs(value) > limit:
        return None
    return str(int(value)) if value == int(value) else str(round(value, 3))


def _text(need: ColumnNeed, index: int, salt: str) -> str:
    value = f"policy-check-{salt}-{index}"
    limit = need.typmod - 4 if need.typmod is not None and need.typmod >= 4 else None
    if limit is not None and len(value) > limit:
        value = f"{index}{salt}"[:limit]
    return value


def _scalar(base: str, kind: str, category: str, label: str | None, need: ColumnNeed, index: int,
            salt: str) -> str | None:
    if kind == "e":
        return label
    if kind != "b":
        return None
    spread = index + (int(salt[:3], 16) if need.unique else 0)
    moment = _EPOCH + dt.timedelta(seconds=spread)
    simple = {
        "uuid": str(uuid.uuid4()),
        "bool": "false",
        "date": (_EPOCH + dt.timedelta(days=spread)).date().isoformat(),
        "timestamptz": moment.isoformat(),
        "timestamp": moment.replace(tzinfo=None).isoformat(),
        "time": (dt.datetime(2030, 1, 1, 12) + dt.timedelta(seconds=spread)).time().isoformat(),
        "timetz": (dt.datetime(2030, 1, 1, 12) + dt.timedelta(seconds=spread)).time().isoformat() + "+00",
        "interval": f"{1 + spread} seconds",
        "json": f'{{"policy_check": {spread}}}' if need.unique else "{}",
        "jsonb": f'{{"policy_check": {spread}}}' if need.unique else "{}",
        "inet": f"192.0.2.{1 + index % 254}",
        "cidr": f"192.0.2.{1 + index % 254}/32",
        "bytea": f"\\x{spread % 256:02x}",
    }
    if base in simple:
        return simple[base]
    if base in _NUMBER_TYPES:
        return _number(need, index, salt)
    if category == _TEXT_CATEGORY:
        return _text(need, index, salt)
    return None


def _array(need: ColumnNeed, count: int, salt: str) -> Values:
    """A one-element array (an empty one might not satisfy a cardinality CHECK), quoted as a literal."""
    if need.element is None or need.element_kind is None or need.element_category is None:
        return Values(reason=f"policy-check has no value for type {need.type_name}")
    element = ColumnNeed(need.schema, need.table, need.column, need.type_name, need.element, need.element_kind,
                         need.element_category, None, unique=need.unique)
    items = [_scalar(element.base, element.kind, element.category, need.first_label, element, i, salt)
             for i in range(count)]
    if any(item is None for item in items):
        return Values(reason=f"policy-check has no value for type {need.type_name}")
    return Values(tuple('{"' + str(item).replace("\\", "\\\\").replace('"', '\\"') + '"}' for item in items))

