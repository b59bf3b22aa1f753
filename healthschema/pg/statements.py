"""The packaged SQL, by owner: ``healthschema/sql/<owner>/<name>.sql`` files and named statements.

A statement is referred to as ``"<owner>/<name>"``, where the owner is the module that runs it
(``"ledger/rows"``, ``"describe/columns"``). Long queries are files of their own
(``sql/<owner>/<name>.sql``); short ones are named sections of ``sql/<owner>/statements.sql``,
each starting with a ``-- name: <name>`` line. References are literal strings in the code, never
built at run time, so a test can check that every packaged statement is used and every used one
exists.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from importlib.resources.abc import Traversable

STATEMENTS_FILE = "statements.sql"
_NAME_LINE = re.compile(r"^--\s*name:\s*(?P<name>[a-z_][a-z0-9_]*)\s*$", re.M)
REF = re.compile(r"^(?P<owner>[a-z_]+)/(?P<name>[a-z_][a-z0-9_]*)$")


def _root() -> Traversable:
    return resources.files("healthschema.sql")


@functools.cache
def named_statements(owner: str) -> dict[str, str]:
    """The named statements of one owner (empty when it has no ``statements.sql``)."""
    path = _root().joinpath(owner, STATEMENTS_FILE)
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    marks = list(_NAME_LINE.finditer(text))
    found: dict[str, str] = {}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        name = mark["name"]
        if name in found:
            raise LookupError(f"sql/{owner}/{STATEMENTS_FILE} names {name!r} twice")
        found[name] = text[mark.end():end].strip("\n") + "\n"
    return found


@functools.cache
def text(ref: str) -> str:
    """The SQL text of ``"<owner>/<name>"``.

    :raises LookupError: no such statement (a programming error, found by the tests).
    """
    match = REF.match(ref)
    if match is None:
        raise LookupError(f"{ref!r} is not an <owner>/<name> statement reference")
    owner, name = match["owner"], match["name"]
    file = _root().joinpath(owner, f"{name}.sql")
    named = named_statements(owner)
    if file.is_file():
        if name in named:
            raise LookupError(f"{ref} is both a file and a named statement")
        return file.read_text(encoding="utf-8")
    if name in named:
        return named[name]
    raise LookupError(f"no packaged SQL statement {ref}")


def packaged() -> list[str]:
    """Every packaged statement reference (files and named statements), sorted."""
    refs: list[str] = []
    for owner_dir in _root().iterdir():
        if not owner_dir.is_dir() or owner_dir.name.startswith("_"):
            continue
        for item in owner_dir.iterdir():
            if item.name == STATEMENTS_FILE:
                refs += [f"{owner_dir.name}/{name}" for name in named_statements(owner_dir.name)]
            elif item.name.endswith(".sql"):
                refs.append(f"{owner_dir.name}/{item.name.removesuffix('.sql')}")
    return sorted(refs)
