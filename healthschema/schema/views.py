"""Which view columns are plain copies of a table column (so a NOT NULL column stays non-null).

PostgreSQL marks every view column nullable, and so do the usual type generators. A column of a
simple view — ``SELECT [alias.]col [AS name] ... FROM t [alias] [[INNER] JOIN u [alias] ON ...]
[WHERE ...]`` — that is taken unchanged from a table column can only be NULL where that column can:
inner joins and WHERE only remove rows. Anything else (outer joins, set operations, grouping,
DISTINCT ON, expressions, subqueries in FROM) is left nullable: :func:`view_column_sources` returns
no source for it.
"""

from __future__ import annotations

import re

from healthschema.schema.definitions import split_qualified, split_top_level

_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_UNSUPPORTED = re.compile(r"\b(?:UNION|INTERSECT|EXCEPT|GROUP BY|HAVING|LEFT|RIGHT|FULL|LATERAL|WINDOW|OFFSET|"
                          r"LIMIT|FETCH|DISTINCT ON|VALUES|ROLLUP|CUBE)\b", re.I)
_FROM_ITEM = re.compile(rf"^((?:{_IDENT}\.)?{_IDENT})(?:\s+(?:AS\s+)?({_IDENT}))?(?:\s+ON\s+.*)?$", re.I | re.S)
_SELECT_ITEM = re.compile(rf"^(?:({_IDENT})\.)?({_IDENT})(?:\s+AS\s+({_IDENT}))?$", re.I | re.S)

Source = tuple[tuple[str, str], str]  # ((schema, table), column)


def _top_level(text: str, keyword: str) -> int:
    """Position of ``keyword`` (a whole word) outside parentheses and quotes, or -1."""
    depth, quote = 0, ""
    pattern = re.compile(rf"\b{keyword}\b", re.I)
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and pattern.match(text, i) and (i == 0 or not text[i - 1].isalnum() and text[i - 1] != "_"):
            return i
    return -1


def _relations(from_clause: str) -> dict[str, tuple[str, str]] | None:
    where = _top_level(from_clause, "WHERE")
    if where >= 0:
        from_clause = from_clause[:where]
    items = re.split(r"\s+(?:INNER\s+|CROSS\s+)?JOIN\s+", from_clause.strip(), flags=re.I)
    aliases: dict[str, tuple[str, str]] = {}
    for item in items:
        if "(" in item.split(" ON ")[0]:
            return None  # a subquery or function in FROM
        match = _FROM_ITEM.match(item.strip())
        if match is None:
            return None
        parts = split_qualified(match.group(1))
        relation = (parts[0], parts[1]) if len(parts) == 2 else ("public", parts[0])
        alias = split_qualified(match.group(2))[0] if match.group(2) else relation[1]
        aliases[alias] = relation
    return aliases


def view_column_sources(definition: str) -> dict[str, Source]:
    """For each output column of a simple view, the table column it copies unchanged."""
    text = " ".join(definition.split()).rstrip(";").strip()
    if _UNSUPPORTED.search(text) or not text.upper().startswith("SELECT "):
        return {}
    body = text[len("SELECT "):]
    if body.upper().startswith("DISTINCT "):
        body = body[len("DISTINCT "):]
    cut = _top_level(body, "FROM")
    if cut < 0:
        return {}
    order = _top_level(body[cut:], "ORDER")
    from_clause = body[cut + 4: cut + order if order >= 0 else None]
    relations = _relations(from_clause)
    if not relations:
        return {}
    sources: dict[str, Source] = {}
    for item in split_top_level(body[:cut]):
        match = _SELECT_ITEM.match(item.strip())
        if match is None:
            continue
        qualifier, column, alias = (split_qualified(g)[0] if g else None for g in match.groups())
        if qualifier is None and len(relations) != 1:
            continue
        relation = relations.get(qualifier) if qualifier else next(iter(relations.values()))
        if relation is not None and column is not None:
            sources[alias or column] = (relation, column)
    return sources
