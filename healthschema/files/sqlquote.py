"""Quoting of SQL identifiers and literals for templates (pure, no database needed)."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from importlib import resources
from typing import Any

from healthschema.errors import TemplateError

# PostgreSQL's reserved key words: an identifier spelled like one must be quoted.
_RESERVED = frozenset(
    line.strip()
    for line in resources.files("healthschema.files").joinpath("reserved_keywords.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
)
_PLAIN = re.compile(r"^[a-z_][a-z0-9_]*$")


def ident(name: object) -> str:
    """Quote one identifier, leaving plain lower-case names readable."""
    text = str(name)
    if not text or "\x00" in text:
        raise TemplateError(f"invalid SQL identifier {text!r}")
    if _PLAIN.match(text) and text not in _RESERVED and len(text) <= 63:
        return text
    return '"' + text.replace('"', '""') + '"'


def qualified(*parts: object) -> str:
    """Quote a dotted name part by part: ``qualified('public', 'clients')``."""
    return ".".join(ident(part) for part in parts)


def literal(value: Any) -> str:
    """Quote a Python value as an SQL literal."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise TemplateError(f"cannot write {value!r} as an SQL literal")
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise TemplateError("SQL literals cannot contain NUL characters")
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | tuple):
        return "ARRAY[" + ", ".join(literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return jsonb(value)
    raise TemplateError(f"cannot write a {type(value).__name__} as an SQL literal")


def jsonb(value: Any) -> str:
    """A ``jsonb`` literal with sorted keys (deterministic output)."""
    return literal(json.dumps(value, sort_keys=True, separators=(", ", ": "))) + "::jsonb"
