"""The `-- backfill: schema.function` header of a migration (pure: files only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from healthschema.errors import ConfigError
from healthschema.files.migration_files import parse_backfill, read_set
from healthschema.files.project import load_project

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("header", "expected"), [
    ("-- backfill: healthschema_private.backfill_milestone_templates", ("healthschema_private",
                                                                        "backfill_milestone_templates")),
    ('--  BACKFILL :  "My Schema"."fill ""it"""', ("My Schema", 'fill "it"')),
    ("-- transactional: false", None),
    ("-- a comment about a backfill: not a header", None),
])
def test_header(header: str, expected: tuple[str, str] | None) -> None:
    assert parse_backfill(header, Path("m.sql")) == expected


@pytest.mark.parametrize("name", ["backfill_milestone_templates", "a.b.c", "x; DROP TABLE y", "a.b()"])
def test_a_header_that_names_no_qualified_function_is_an_error(name: str) -> None:
    with pytest.raises(ConfigError, match=r"m\.sql: `-- backfill:` must name a schema-qualified function"):
        parse_backfill(f"-- backfill: {name}", Path("m.sql"))


def test_only_the_seed_migration_backfills() -> None:
    project = load_project(REPO)
    found = {f.id: f.backfill for s in project.migration_sets for f in read_set(s) if f.backfill}
    assert found == {"20250901000400_milestone_template_seed": ("healthschema_private", "backfill_milestone_templates")}
