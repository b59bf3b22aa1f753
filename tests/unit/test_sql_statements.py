"""Every packaged SQL statement is used by the code, and every one the code names exists."""

from __future__ import annotations

import re
from pathlib import Path

from healthschema.pg import statements

PACKAGE = Path(__file__).resolve().parents[2] / "healthschema"
REFERENCE = re.compile(r"""["']([a-z_]+/[a-z_][a-z0-9_]*)["']""")


def _code_references() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "pg" / "statements.py":
            continue  # its docstring shows examples
        found |= set(REFERENCE.findall(path.read_text(encoding="utf-8")))
    return found & {ref for ref in found if ref.split("/")[0] in _owners()}


def _owners() -> set[str]:
    return {path.name for path in (PACKAGE / "sql").iterdir() if path.is_dir() and not path.name.startswith("_")}


def test_every_packaged_statement_is_used() -> None:
    unused = set(statements.packaged()) - _code_references()
    assert unused == set(), f"packaged SQL that no code path uses: {sorted(unused)}"


def test_every_statement_the_code_names_exists() -> None:
    for ref in sorted(_code_references()):
        assert statements.text(ref).strip(), ref


def test_only_sql_files_and_statement_files_are_packaged() -> None:
    stray = [p for p in (PACKAGE / "sql").rglob("*") if p.is_file() and p.suffix not in (".sql", ".py")
             and "__pycache__" not in p.parts]
    assert stray == []


def test_named_statements_are_split_on_their_name_lines() -> None:
    text = statements.text("ledger/lock_release")
    assert text.startswith("SELECT pg_advisory_unlock(") and "-- name:" not in text
    assert statements.named_statements("ledger").keys() >= {"exists", "rows", "lock_try", "lock_holder"}
