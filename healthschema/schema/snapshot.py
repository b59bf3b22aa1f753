"""The expected catalog snapshot: what each health migration creates, measured on a real server.

``write_snapshot`` applies the platform stub and then the health migrations *one at a time* to a
scratch database on a disposable PostgreSQL, describes the catalog (:mod:`healthschema.schema.describe`)
before and after each one, and records each migration's effect: the entries it added or changed
(with their new description) and the ones it removed (``null``). The result is committed as
``migrations/expected_snapshot.json`` (sorted keys, no timestamps, no server version), so it is
identical whichever major version built it.

What counts as "ours" is therefore measured, not declared: the platform stub's objects are part of
the baseline and never appear in the snapshot, while anything a health migration does to a platform
object (a trigger or grant on ``clients``) does. The expected state after any prefix of the
migrations is the fold of their effects (:func:`expected_after`), which is how ``verify`` treats
pending migrations.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from healthschema.engine.execute import execute
from healthschema.errors import ConfigError
from healthschema.files.migration_files import MigrationFile, health, platform_stub, read_all
from healthschema.files.project import Project
from healthschema.files.textfile import read_utf8
from healthschema.pg import connect as db
from healthschema.pg import disposable, ledger
from healthschema.schema import describe as catalog

SNAPSHOT_NAME = "expected_snapshot.json"
FORMAT = 1


@dataclass(frozen=True)
class MigrationEffect:
    """What one migration did to the catalog: key -> new entry, or None when it removed the key.
    ``created`` lists the keys that did not exist before it (objects it owns, not merely changed)."""

    id: str
    checksum: str
    changes: dict[str, catalog.Entry | None]
    created: list[str]


@dataclass(frozen=True)
class Snapshot:
    migrations: list[MigrationEffect]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "description": "Expected catalog effect of each health migration (healthschema snapshot)",
            "migrations": [
                {"id": m.id, "checksum": m.checksum, "created": sorted(m.created),
                 "changes": {k: (v.to_dict() if v is not None else None) for k, v in sorted(m.changes.items())}}
                for m in self.migrations
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        if not isinstance(data, dict):
            raise ConfigError(f"the snapshot is a JSON {type(data).__name__}, not an object",
                              hint="run `healthschema snapshot` to regenerate it")
        if data.get("format") != FORMAT:
            raise ConfigError(f"unsupported snapshot format {data.get('format')!r}",
                              hint="run `healthschema snapshot` to regenerate it")
        return cls([
            MigrationEffect(m["id"], m["checksum"], {
                k: (catalog.Entry.from_dict(v) if v is not None else None) for k, v in m["changes"].items()
            }, list(m["created"]))
            for m in data["migrations"]
        ])

    def by_id(self) -> dict[str, MigrationEffect]:
        return {m.id: m for m in self.migrations}


@dataclass(frozen=True)
class SnapshotCheck:
    """``stale`` when the committed file differs from a fresh build; ``reasons`` say how."""

    path: Path
    stale: bool
    reasons: list[str]


def snapshot_path(project: Project) -> Path:
    return project.migrations_dir / SNAPSHOT_NAME


def render_json(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.to_json(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(project: Project) -> Snapshot:
    """The committed snapshot.

    :raises ConfigError: it does not exist or cannot be read.
    """
    path = snapshot_path(project)
    if not path.is_file():
        raise ConfigError(f"{path} does not exist", hint="run `healthschema snapshot`")
    try:
        return Snapshot.from_json(json.loads(read_utf8(path)))
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc.message}", hint=exc.hint) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path} is not a valid snapshot: {exc}", hint="run `healthschema snapshot`") from exc


def staleness(snapshot: Snapshot, current: Mapping[str, str]) -> dict[str, str]:
    """Why ``snapshot`` is stale for the ``current`` health migrations (id -> checksum), per migration
    id: not in the snapshot, changed since it was made, or no longer existing. Empty: current.
    The one staleness test: verify, preflight and ``snapshot --check`` all use it."""
    recorded = snapshot.by_id()
    reasons = {mid: f"migration {mid} is not in the snapshot" for mid in current if mid not in recorded}
    reasons |= {mid: f"migration {mid} changed since the snapshot was made" for mid, checksum in current.items()
                if mid in recorded and recorded[mid].checksum != checksum}
    reasons |= {mid: f"migration {mid} no longer exists" for mid in recorded if mid not in current}
    return reasons


def stale_files(snapshot: Snapshot, files: list[MigrationFile]) -> list[MigrationFile]:
    """The health migrations among ``files`` that ``snapshot`` does not describe as they are now."""
    stale = staleness(snapshot, {f.id: f.checksum for f in health(files)})
    return [f for f in health(files) if f.id in stale]


def expected_after(snapshot: Snapshot, applied_ids: list[str]) -> catalog.Catalog:
    """The catalog entries the given migrations should have produced (their effects folded in
    snapshot order). Keys a migration removed map to nothing."""
    wanted = set(applied_ids)
    state: dict[str, catalog.Entry | None] = {}
    for effect in snapshot.migrations:
        if effect.id in wanted:
            state.update(effect.changes)
    return {key: entry for key, entry in sorted(state.items()) if entry is not None}


def removed_by(snapshot: Snapshot, applied_ids: list[str]) -> set[str]:
    """Keys the applied migrations removed (and did not re-create): they must stay absent."""
    wanted = set(applied_ids)
    state: dict[str, catalog.Entry | None] = {}
    for effect in snapshot.migrations:
        if effect.id in wanted:
            state.update(effect.changes)
    return {key for key, entry in state.items() if entry is None}


def created_by(snapshot: Snapshot, applied_ids: list[str]) -> set[str]:
    """Keys the applied migrations created and that still exist after them: the objects we own."""
    wanted = set(applied_ids)
    owned: set[str] = set()
    for effect in snapshot.migrations:
        if effect.id in wanted:
            owned |= set(effect.created)
            owned -= {key for key, entry in effect.changes.items() if entry is None}
    return owned


@contextmanager
def _scratch(server_url: str | None) -> Iterator[str]:
    name = f"hs_snapshot_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    if server_url is not None:
        with disposable.scratch_database(server_url, name) as url:
            yield url
        return
    with disposable.primary() as server, disposable.scratch_database(server.url, name) as url:
        yield url


def _describe(project: Project, url: str) -> catalog.Catalog:
    return catalog.describe_url(url, (project.meta_schema,))


def build(project: Project, server_url: str | None = None) -> Snapshot:
    """Measure each health migration's effect on a scratch database.

    ``server_url`` names a server to create the scratch database on; by default a disposable
    server is started (:func:`healthschema.pg.disposable.primary`).
    """
    files = read_all(project)
    with _scratch(server_url) as url:
        with db.connection(url, autocommit=True) as conn:
            ledger.ensure(conn, project.meta_schema)
        execute(url, project.meta_schema, platform_stub(files), "apply",
                lock_timeout_ms=project.statement_lock_timeout_ms)
        return Snapshot(_effects(project, url, health(files)))


def _effects(project: Project, url: str, health: list[MigrationFile]) -> list[MigrationEffect]:
    effects = []
    before = _describe(project, url)
    for file in health:
        execute(url, project.meta_schema, [file], "apply", lock_timeout_ms=project.statement_lock_timeout_ms)
        after = _describe(project, url)
        changes: dict[str, catalog.Entry | None] = {
            change.key: after.get(change.key) for change in catalog.diff(before, after)
        }
        created = sorted(key for key in changes if key not in before)
        effects.append(MigrationEffect(file.id, file.checksum, changes, created))
        before = after
    return effects


def write_snapshot(project: Project, server_url: str | None = None) -> Path:
    """Build the snapshot and write it (only when its content changed); returns its path."""
    text = render_json(build(project, server_url))
    path = snapshot_path(project)
    if not path.is_file() or read_utf8(path) != text:
        path.write_text(text, encoding="utf-8")
    return path


def check_snapshot(project: Project, server_url: str | None = None) -> SnapshotCheck:
    """Compare the committed snapshot with a fresh build; changes nothing.

    A migration missing from the snapshot, or changed since, makes it stale without a build.
    """
    path = snapshot_path(project)
    if not path.is_file():
        return SnapshotCheck(path, True, [f"{path.name} does not exist"])
    quick = _checksum_reasons(project, read_utf8(path))
    if quick:
        return SnapshotCheck(path, True, quick)
    fresh = build(project, server_url)
    committed_text = read_utf8(path)
    if committed_text == render_json(fresh):
        return SnapshotCheck(path, False, [])
    return SnapshotCheck(path, True, _stale_reasons(committed_text, fresh))


def _checksum_reasons(project: Project, committed_text: str) -> list[str]:
    try:
        committed = Snapshot.from_json(json.loads(committed_text))
    except (ConfigError, ValueError, KeyError, TypeError) as exc:
        return [f"the committed snapshot cannot be read: {exc}"]
    files = health(read_all(project))
    return list(staleness(committed, {f.id: f.checksum for f in files}).values())


def _stale_reasons(committed_text: str, fresh: Snapshot) -> list[str]:
    try:
        committed = Snapshot.from_json(json.loads(committed_text))
    except (ConfigError, ValueError, KeyError, TypeError) as exc:
        return [f"the committed snapshot cannot be read: {exc}"]
    old, new = committed.by_id(), fresh.by_id()
    stale = staleness(committed, {mid: effect.checksum for mid, effect in new.items()})
    reasons = list(stale.values())
    reasons += [f"migration {mid}: recorded objects differ from a fresh build" for mid in new
                if mid not in stale and mid in old and old[mid].changes != new[mid].changes]
    return reasons or ["the file's formatting differs from a fresh build"]
