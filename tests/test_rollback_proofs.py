"""Proof, for every migration: rolling it back restores exactly the catalog that existed before it.

One database per major: apply the migrations one at a time, describing the whole catalog
(:func:`healthschema.catalog.describe`, the same normalised description verify uses, platform
objects included) before each; then roll back one at a time and compare with that description.
"""

from __future__ import annotations

from healthschema import operations
from healthschema.files.migration_files import read_all
from healthschema.files.project import HEALTH, PLATFORM_STUB, Project
from healthschema.schema import describe as catalog


def _describe(project: Project, url: str) -> catalog.Catalog:
    return catalog.describe_url(url, (project.meta_schema,))


def test_every_rollback_restores_the_prior_catalog(project: Project, empty_db: str) -> None:
    files = read_all(project)
    stub = [f for f in files if f.set_name == PLATFORM_STUB]
    health = [f for f in files if f.set_name == HEALTH]
    assert health
    empty = _describe(project, empty_db)
    operations.apply(project, empty_db, to=stub[-1].id, with_platform_stub=True)
    before: list[catalog.Catalog] = []
    for file in health:
        before.append(_describe(project, empty_db))
        operations.apply(project, empty_db, to=file.id)
        assert _describe(project, empty_db) != before[-1], f"{file.id} changed nothing in the catalog"
    failures = []
    for file, expected in zip(reversed(health), reversed(before), strict=True):
        result = operations.rollback(project, empty_db)
        assert [step.migration.id for step in result.steps] == [file.id]
        changes = catalog.diff(expected, _describe(project, empty_db))
        failures += [f"{file.id}: {change.describe()}" for change in changes]
    assert failures == []
    operations.rollback(project, empty_db, all_=True)  # the stub too
    assert catalog.diff(empty, _describe(project, empty_db)) == []
