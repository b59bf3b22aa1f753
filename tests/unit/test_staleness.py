"""The one snapshot-staleness function (schema/snapshot.py), without a database."""

from __future__ import annotations

from healthschema.schema.snapshot import MigrationEffect, Snapshot, stale_files, staleness
from tests.unit.helpers import FILES, HEALTHS


def _snapshot(*pairs: tuple[str, str]) -> Snapshot:
    return Snapshot([MigrationEffect(mid, checksum, {}, []) for mid, checksum in pairs])


def test_current_snapshot_has_no_reasons() -> None:
    snap = _snapshot(*((f.id, f.checksum) for f in HEALTHS))
    assert staleness(snap, {f.id: f.checksum for f in HEALTHS}) == {}
    assert stale_files(snap, FILES) == []


def test_each_kind_of_staleness_is_named() -> None:
    snap = _snapshot((HEALTHS[0].id, "old"), (HEALTHS[1].id, HEALTHS[1].checksum), ("20200101000000_gone", "x"))
    current = {f.id: f.checksum for f in HEALTHS[:3]}
    assert staleness(snap, current) == {
        HEALTHS[2].id: f"migration {HEALTHS[2].id} is not in the snapshot",
        HEALTHS[0].id: f"migration {HEALTHS[0].id} changed since the snapshot was made",
        "20200101000000_gone": "migration 20200101000000_gone no longer exists",
    }


def test_stale_files_are_health_files_only_in_file_order() -> None:
    snap = _snapshot((HEALTHS[1].id, HEALTHS[1].checksum))
    assert stale_files(snap, FILES) == [HEALTHS[0], HEALTHS[2], HEALTHS[3]]
