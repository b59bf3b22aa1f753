"""verify's comparison (checks/verify.py) on hand-made catalogs, without a database."""

from __future__ import annotations

from healthschema.checks.verify import compare, ledger_problems
from healthschema.schema.describe import Catalog, Entry
from tests.unit.helpers import FILES, HEALTHS, mfile, row

TABLE = "relation public.t"
COLUMN = "column public.t.a"


def _catalog() -> Catalog:
    return {
        "schema public": Entry("schema", "public", None, {}),
        TABLE: Entry("relation", "public", None, {"relkind": "table"}),
        COLUMN: Entry("column", "public", TABLE, {"type": "integer"}),
    }


def test_identical_catalogs_have_no_changes() -> None:
    expected = _catalog()
    assert compare({k: v for k, v in expected.items() if k != "schema public"}, set(), {TABLE, COLUMN},
                   expected) == []


def test_changed_missing_and_extra_objects_are_found() -> None:
    expected = {TABLE: Entry("relation", "public", None, {"relkind": "table"}),
                COLUMN: Entry("column", "public", TABLE, {"type": "integer"})}
    live = {TABLE: Entry("relation", "public", None, {"relkind": "table"}),
            COLUMN: Entry("column", "public", TABLE, {"type": "bigint"}),
            "column public.t.extra": Entry("column", "public", TABLE, {"type": "text"}),
            "relation public.not_ours": Entry("relation", "public", None, {"relkind": "table"})}
    changes = {c.key: c.state for c in compare(expected, set(), {TABLE}, live)}
    assert changes == {COLUMN: "changed", "column public.t.extra": "extra"}
    gone = {c.key: c.state for c in compare(expected, set(), {TABLE}, {TABLE: live[TABLE]})}
    assert gone == {COLUMN: "missing"}


def test_a_removed_object_must_stay_absent() -> None:
    live = {"relation public.old": Entry("relation", "public", None, {"relkind": "table"})}
    changes = compare({}, {"relation public.old"}, set(), live)
    assert [(c.key, c.state) for c in changes] == [("relation public.old", "extra")]


def test_everything_in_a_schema_we_created_is_ours() -> None:
    expected = {"schema private": Entry("schema", "private", None, {})}
    live = {**expected, "function private.f()": Entry("function", "private", None, {"body": "x"})}
    changes = compare(expected, set(), {"schema private"}, live)
    assert [(c.key, c.state) for c in changes] == [("function private.f()", "extra")]


def test_ledger_problems_come_from_the_ledger_comparison() -> None:
    gone = mfile("20250901009900")
    problems = ledger_problems(FILES, [row(HEALTHS[0], checksum="old"), row(HEALTHS[1]), row(gone)])
    assert [(p.migration_id, p.state, p.expected, p.found) for p in problems] == [
        (HEALTHS[0].id, "modified", HEALTHS[0].checksum, "old"), (gone.id, "missing", None, gone.checksum)]
