"""Pure parsers for the definitions PostgreSQL prints (``pg_get_constraintdef``, ``pg_get_indexdef``,
``pg_get_triggerdef``, ``pg_get_function_arguments``), as recorded in catalog entries.

Nothing here connects: each function takes the text and returns plain values, or ``None`` where the
text is not of the simple shape it understands (the caller then keeps the raw definition).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_CAST = r"(?:::(?:[A-Za-z_][\w$ .\"]*?)(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])?)"
_LITERAL = re.compile(rf"\s*'((?:[^']|'')*)'{_CAST}*\s*(?:,|$)")
_COLUMN_REF = re.compile(rf"^\(*({_IDENT})\)*{_CAST}*\)*$")
_MODES = ("IN", "OUT", "INOUT", "VARIADIC")
# Types whose name is several words (so "double precision" is not an argument named "double").
_MULTIWORD_TYPES = ("double precision", "character varying", "bit varying", "timestamp ", "time ", "interval ")


def unquote(identifier: str) -> str:
    """``"My Col"`` → ``My Col``; ``status`` → ``status``."""
    if len(identifier) >= 2 and identifier.startswith('"') and identifier.endswith('"'):
        return identifier[1:-1].replace('""', '"')
    return identifier


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split on ``separator`` outside parentheses, brackets, quotes and double quotes."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail or parts:
        parts.append(tail)
    return parts


def split_qualified(name: str) -> list[str]:
    """``public."a.b".c`` → ``['public', 'a.b', 'c']``."""
    return [unquote(part) for part in split_top_level(name, ".")]


def _closing(text: str, start: int) -> int:
    """Index of the parenthesis closing the one at ``start``."""
    depth, quote = 0, ""
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"unbalanced parentheses in {text!r}")


def _check_body(definition: str) -> str | None:
    text = definition.strip().removesuffix(" NOT VALID").strip()
    if not text.startswith("CHECK (") or _closing(text, 6) != len(text) - 1:
        return None
    return text[7:-1].strip()


def _literals(text: str) -> tuple[str, ...] | None:
    values, pos = [], 0
    while pos < len(text):
        match = _LITERAL.match(text, pos)
        if match is None:
            return None
        values.append(match.group(1).replace("''", "'"))
        pos = match.end()
    return tuple(values) if values else None


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and _closing(text, 0) == len(text) - 1:
        text = text[1:-1].strip()
    return text


def _array_items(text: str) -> str | None:
    """The items of ``ARRAY[...]`` (with optional parentheses and a trailing cast)."""
    text = re.sub(rf"{_CAST}+$", "", _strip_parens(text)).strip()
    text = _strip_parens(text)
    if not (text.startswith("ARRAY[") and text.endswith("]")):
        return None
    return text[6:-1]


def value_set(definition: str) -> tuple[str, tuple[str, ...]] | None:
    """The column and the allowed values of a CHECK that is exactly ``col IN ('a', ...)``,
    ``col = ANY (ARRAY['a', ...])`` or ``col = 'a'`` (any casts); otherwise None.

    >>> value_set("CHECK (status::text = ANY (ARRAY['open'::character varying, 'closed'::character varying]::text[]))")
    ('status', ('open', 'closed'))
    """
    try:
        body = _check_body(definition)
        if body is None:
            return None
        body = _strip_parens(body)
        match = re.match(r"^(?P<lhs>.+?)\s*(?:=\s*ANY\s*(?P<any>\(.*\))|\bIN\s*(?P<in>\(.*\))|=\s*(?P<one>'.*))$",
                         body, re.S)
        if match is None:
            return None
        column = _COLUMN_REF.match(match["lhs"].strip())
        if column is None:
            return None
        if match["any"] is not None:
            items = _array_items(match["any"])
            values = None if items is None else _literals(items)
        elif match["in"] is not None:
            values = _literals(_strip_parens(match["in"]))
        else:
            values = _literals(match["one"])
            values = values if values is not None and len(values) == 1 else None
    except ValueError:
        return None
    return None if values is None else (unquote(column.group(1)), values)


def key_columns(definition: str) -> tuple[str, ...] | None:
    """The columns of ``PRIMARY KEY (a, b)`` / ``UNIQUE (a)`` (``UNIQUE NULLS NOT DISTINCT`` too)."""
    match = re.match(r"^(?:PRIMARY KEY|UNIQUE(?: NULLS (?:NOT )?DISTINCT)?) \((.*?)\)", definition)
    if match is None:
        return None
    return tuple(unquote(c) for c in split_top_level(match.group(1)))


@dataclass(frozen=True)
class ForeignKeyDef:
    columns: tuple[str, ...]
    referenced_schema: str | None
    referenced_table: str
    referenced_columns: tuple[str, ...]
    on_delete: str
    on_update: str


def foreign_key(definition: str) -> ForeignKeyDef | None:
    """``FOREIGN KEY (a) REFERENCES s.t(id) ON DELETE CASCADE`` → its parts (actions default NO ACTION)."""
    match = re.match(rf"^FOREIGN KEY \((.*?)\) REFERENCES ((?:{_IDENT}\.)?{_IDENT})\((.*?)\)(.*)$", definition, re.S)
    if match is None:
        return None
    target = split_qualified(match.group(2))
    rest = match.group(4)
    on_delete = re.search(r"ON DELETE (SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION)", rest)
    on_update = re.search(r"ON UPDATE (SET NULL|SET DEFAULT|CASCADE|RESTRICT|NO ACTION)", rest)
    return ForeignKeyDef(
        columns=tuple(unquote(c) for c in split_top_level(match.group(1))),
        referenced_schema=target[0] if len(target) == 2 else None,
        referenced_table=target[-1],
        referenced_columns=tuple(unquote(c) for c in split_top_level(match.group(3))),
        on_delete=on_delete.group(1) if on_delete else "NO ACTION",
        on_update=on_update.group(1) if on_update else "NO ACTION",
    )


@dataclass(frozen=True)
class IndexDef:
    unique: bool
    method: str
    elements: tuple[str, ...]
    columns: tuple[str | None, ...]  # the column of each element, None for an expression
    include: tuple[str, ...]
    predicate: str | None


def _element_column(element: str) -> str | None:
    match = re.match(rf"^({_IDENT})(?:\s+[A-Za-z_][\w.]*)*$", element.strip())
    if match is None or match.group(1).upper() in {"NULL", "TRUE", "FALSE"}:
        return None
    return unquote(match.group(1))


def index(definition: str) -> IndexDef | None:
    """Parse ``CREATE [UNIQUE] INDEX n ON t USING m (elements) [INCLUDE (...)] [WITH (...)] [WHERE p]``."""
    head = re.match(r"^CREATE (UNIQUE )?INDEX .*? ON (?:ONLY )?.*? USING (\w+) \(", definition, re.S)
    if head is None:
        return None
    start = head.end() - 1
    end = _closing(definition, start)
    elements = tuple(split_top_level(definition[start + 1:end]))
    rest = definition[end + 1:].strip()
    include: tuple[str, ...] = ()
    if rest.startswith("INCLUDE ("):
        close = _closing(rest, 8)
        include = tuple(unquote(c) for c in split_top_level(rest[9:close]))
        rest = rest[close + 1:].strip()
    if rest.startswith("WITH ("):
        rest = rest[_closing(rest, 5) + 1:].strip()
    if rest.startswith("NULLS NOT DISTINCT"):
        rest = rest[len("NULLS NOT DISTINCT"):].strip()
    predicate = rest[6:].strip() if rest.startswith("WHERE ") else None
    return IndexDef(bool(head.group(1)), head.group(2), elements, tuple(_element_column(e) for e in elements),
                    include, predicate)


@dataclass(frozen=True)
class TriggerDef:
    timing: str
    events: tuple[str, ...]
    level: str
    function: str


def trigger(definition: str) -> TriggerDef | None:
    """Timing, events, row/statement level and function of a ``CREATE TRIGGER`` definition."""
    match = re.match(
        r"^CREATE (?:CONSTRAINT )?TRIGGER \S+ (BEFORE|AFTER|INSTEAD OF) (.*?) ON .*? FOR EACH (ROW|STATEMENT)"
        r".*? EXECUTE (?:FUNCTION|PROCEDURE) (.+?)\(", definition, re.S)
    if match is None:
        return None
    events = tuple(event.strip().split(" OF ")[0] for event in match.group(2).split(" OR "))
    return TriggerDef(match.group(1), events, match.group(3), match.group(4))


@dataclass(frozen=True)
class ArgumentDef:
    name: str | None
    type: str
    mode: str
    has_default: bool


def _named(text: str) -> tuple[str | None, str]:
    lowered = text.lower()
    if any(lowered.startswith(t) or lowered == t.strip() for t in _MULTIWORD_TYPES):
        return None, text
    match = re.match(rf"^({_IDENT})\s+(.+)$", text, re.S)
    if match is None:
        return None, text
    return unquote(match.group(1)), match.group(2).strip()


def arguments(text: str) -> tuple[ArgumentDef, ...]:
    """``p_a integer, p_b text DEFAULT NULL::text`` → one :class:`ArgumentDef` per argument."""
    result = []
    for part in split_top_level(text):
        if not part:
            continue
        mode = "IN"
        first, _, remainder = part.partition(" ")
        if first.upper() in _MODES and remainder:
            mode, part = first.upper(), remainder.strip()
        default = re.search(r"\s+DEFAULT\s+|\s+=\s+", part)
        has_default = default is not None
        if default is not None:
            part = part[:default.start()].strip()
        name, type_ = _named(part)
        result.append(ArgumentDef(name, type_, mode, has_default))
    return tuple(result)
