"""The one ledger-vs-files comparison (pg/ledger.py), without a database."""

from __future__ import annotations

import pytest

from healthschema.errors import MigrationError
from healthschema.pg import ledger
from tests.unit.helpers import FILES, HEALTHS, STUB, mfile, row


def _states(files: list, rows: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {item.id: item.state for item in ledger.compare(files, rows)}


def test_unapplied_health_files_are_pending_and_the_unused_stub_is_not_listed() -> None:
    states = _states(FILES, [row(HEALTHS[0])])
    assert states == {HEALTHS[0].id: "applied", **{f.id: "pending" for f in HEALTHS[1:]}}


def test_stub_files_are_pending_once_the_stub_is_in_use() -> None:
    states = _states(FILES, [row(STUB[0])])
    assert states[STUB[1].id] == "pending" and states[STUB[0].id] == "applied"


def test_edited_and_vanished_files_are_modified_and_missing() -> None:
    gone = mfile("20250901009900")
    rows = [row(HEALTHS[0], checksum="old"), row(gone)]
    result = {item.id: item for item in ledger.compare(FILES, rows)}
    assert result[HEALTHS[0].id].state == "modified"
    assert (result[HEALTHS[0].id].file_checksum, result[HEALTHS[0].id].ledger_checksum) == (HEALTHS[0].checksum, "old")
    assert result[gone.id].state == "missing" and result[gone.id].file_checksum is None
    assert [item.id for item in ledger.drifted(FILES, rows)] == [HEALTHS[0].id, gone.id]


def test_reject_drift_names_every_drifted_migration() -> None:
    gone = mfile("20250901009900")
    with pytest.raises(MigrationError, match=rf"{HEALTHS[1].id} \(modified\), {gone.id} \(missing\)"):
        ledger.reject_drift(FILES, [row(HEALTHS[1], checksum="old"), row(gone)])
    ledger.reject_drift(FILES, [row(f) for f in HEALTHS])  # nothing drifted: no error


def test_reject_missing_ignores_edits() -> None:
    ledger.reject_missing(FILES, [row(HEALTHS[1], checksum="old")])
    with pytest.raises(MigrationError, match="have no file: 20250901009900_m00"):
        ledger.reject_missing(FILES, [row(mfile("20250901009900"))])


def test_lock_key_is_per_meta_schema() -> None:
    assert ledger.lock_key("healthschema_meta") == "healthschema:healthschema_meta"
    assert ledger.lock_key("a") != ledger.lock_key("b")
