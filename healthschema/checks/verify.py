"""Drift check: does a live database match what its applied migrations define?

The expected state comes from the committed snapshot (:mod:`healthschema.schema.snapshot`): the effects
of exactly the health migrations the target's ledger records as applied, folded in order. Pending
migrations are therefore reported as pending, never as drift. Compared, entry by entry
(:mod:`healthschema.schema.describe`):

* every object the applied migrations created or changed, with all its attributes;
* every object they removed (it must stay absent);
* every live object *inside* an object they created: a column, constraint, index, trigger,
  policy or grant added to one of our tables, functions or schemas, anything in a schema we
  created (so ``healthschema_private``, but not the shared ``public`` schema as a whole).

Plus the ledger: an applied migration whose file changed (checksum) or disappeared is drift.
Read-only: one read-only transaction on the catalogs and the ledger, taken while holding the
migration lock (an advisory lock, which needs no privilege), so a run in progress is waited for
rather than reported as drift.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthschema.errors import ConfigError
from healthschema.files.migration_files import MigrationFile, health, read_all
from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.pg import ledger
from healthschema.schema import describe as catalog
from healthschema.schema import snapshot


@dataclass(frozen=True)
class LedgerProblem:
    migration_id: str
    state: str  # "modified" or "missing"
    expected: str | None
    found: str | None

    def describe(self) -> str:
        if self.state == "missing":
            return f"migration {self.migration_id} is recorded as applied but its file is missing"
        return (f"migration {self.migration_id} was edited after it was applied: "
                f"checksum expected {self.found}, file has {self.expected}")

    def to_dict(self) -> dict[str, Any]:
        return {"migration": self.migration_id, "state": self.state, "ledger_checksum": self.found,
                "file_checksum": self.expected}


@dataclass(frozen=True)
class VerifyReport:
    server_version: str
    applied: list[str]
    pending: list[str]
    ledger_problems: list[LedgerProblem]
    changes: list[catalog.Change]
    expected: catalog.Catalog = field(repr=False)
    target: str = ""
    meta_schema: str = ""
    unmanaged: list[str] = field(default_factory=list)  # objects with our names that no ledger records
    backfills: list[ledger.BackfillRow] = field(default_factory=list)  # unfinished post-commit back-fills

    @property
    def nothing_deployed(self) -> bool:
        """No migration recorded and none of our objects present: nothing to account for."""
        return not self.applied and not self.unmanaged

    @property
    def ok(self) -> bool:
        return (not self.ledger_problems and not self.changes and not self.unmanaged and not self.nothing_deployed
                and not self.backfills)

    def problems(self) -> list[str]:
        found = [p.describe() for p in self.ledger_problems] + [c.describe() for c in self.changes]
        found += [f"unfinished back-fill {b.migration_id} ({b.state}: {b.batches_done} batch(es), {b.keys_done} "
                  "key(s) done): its rows are incomplete; run `healthschema apply` to resume it"
                  for b in self.backfills]
        if self.unmanaged:
            found += [f"unmanaged {key}: it carries the name of an object of ours but no migration in "
                      f"{self.meta_schema}.ledger records it" for key in self.unmanaged]
            found.append(f"unmanaged: {len(self.unmanaged)} object(s) of ours without a ledger record (the ledger "
                         f"{self.meta_schema}.ledger is missing or empty: a wrong [runner] meta_schema, a dropped "
                         "ledger, or a schema applied by hand — see `healthschema adopt`)")
        elif self.nothing_deployed:
            found.append(f"nothing deployed: no migration is recorded in {self.meta_schema}.ledger and none of "
                         "our objects exists")
        return found

    def counts(self) -> dict[str, int]:
        """How many expected objects of each kind were verified."""
        return {kind: catalog.count(self.expected, kind) for kind in catalog.KINDS}

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "target": self.target,
            "server_version": self.server_version,
            "unmanaged": self.unmanaged,
            "nothing_deployed": self.nothing_deployed,
            "applied": self.applied,
            "pending": self.pending,
            "verified": self.counts(),
            "ledger_problems": [p.to_dict() for p in self.ledger_problems],
            "drift": [c.to_dict() for c in self.changes],
            "unfinished_backfills": [b.to_dict() for b in self.backfills],
        }


def describe_target(conn: db.Connection) -> str:
    """Which database a connection reaches: user@host:port/dbname (no password)."""
    info = conn.info
    return f"{info.user}@{info.host}:{info.port}/{info.dbname}"


def _own_read_grant(change: catalog.Change, user: str) -> bool:
    """A read-only grant to the verifying role itself (a dedicated CI role, docs/verify.md) is how
    it reads, not drift."""
    if not change.key.startswith("grant ") or not change.key.endswith(f" to {user}") or change.expected is not None:
        return False
    privileges = set((change.found or {}).get("privileges", []))
    return privileges <= {"USAGE", "SELECT"} and not (change.found or {}).get("grantable")


def ledger_problems(files: list[MigrationFile], rows: list[ledger.LedgerRow]) -> list[LedgerProblem]:
    """Applied migrations whose file was edited or removed (from :func:`healthschema.pg.ledger.compare`)."""
    return [LedgerProblem(item.id, item.state, item.file_checksum, item.ledger_checksum)
            for item in ledger.drifted(files, rows)]


def require_current(
    snap: snapshot.Snapshot, files: list[MigrationFile], rows: list[ledger.LedgerRow] | None = None,
) -> None:
    """:raises ConfigError: a health migration is missing from the snapshot or changed since —
    except an applied migration whose file was edited after it ran (the snapshot still matches the
    ledger's checksum): that is drift verify reports, and regenerating the snapshot would hide it."""
    recorded = {row.migration_id: row.checksum for row in rows or []}
    effects = snap.by_id()
    stale = [f for f in snapshot.stale_files(snap, files)
             if not (f.id in recorded and f.id in effects and effects[f.id].checksum == recorded[f.id])]
    if stale:
        raise ConfigError(f"the expected snapshot is stale for {', '.join(f.id for f in stale)}",
                          hint="run `healthschema snapshot` and commit migrations/expected_snapshot.json")


def in_scope(key: str, live: catalog.Catalog, owned: set[str], owned_schemas: set[str]) -> bool:
    """Is a live object ours to check: inside an object or a schema that our migrations created?"""
    entry = live[key]
    if entry.schema in owned_schemas:
        return True
    return any(parent in owned for parent in catalog.ancestors(live, key))


def compare(
    expected: catalog.Catalog, removed: set[str], owned: set[str], live: catalog.Catalog
) -> list[catalog.Change]:
    """The differences between the expected entries and the live catalog, within our scope."""
    owned_schemas = {expected[key].schema for key in owned if key in expected and expected[key].kind == "schema"}
    keys = set(expected) | removed
    keys |= {key for key in live if in_scope(key, live, owned, {s for s in owned_schemas if s})}
    changes = []
    for key in sorted(keys):
        want = expected[key].attrs if key in expected else None
        have = live[key].attrs if key in live else None
        if want != have:
            changes.append(catalog.Change(key, want, have))
    return changes


def verify(project: Project, url: str) -> VerifyReport:
    """Compare the database at ``url`` with the snapshot of its applied migrations. Read-only.

    :raises ConfigError: the snapshot is missing or stale.
    :raises DatabaseError: the database cannot be read.
    :raises LockTimeoutError: a migration run held the lock for ``lock_timeout_seconds``.
    """
    files = read_all(project)
    snap = snapshot.load(project)
    # Like apply, wait for a run in progress: a deploy half-way through is not drift.
    with ledger.migration_lock(url, project.meta_schema, project.lock_timeout_seconds), \
            db.connection(url) as conn:
        conn.read_only = True
        return verify_connection(project, conn, files, snap)


def verify_connection(
    project: Project, conn: db.Connection, files: list[MigrationFile] | None = None,
    snap: snapshot.Snapshot | None = None,
) -> VerifyReport:
    """:func:`verify` over an open connection (sees that connection's uncommitted changes)."""
    files = read_all(project) if files is None else files
    snap = snapshot.load(project) if snap is None else snap
    version = db.server_version(conn)
    rows = ledger.read(conn, project.meta_schema)
    require_current(snap, files, rows)
    live = catalog.describe(conn, (project.meta_schema,))
    recorded = {row.migration_id for row in rows}
    ours = health(files)
    applied = [f.id for f in ours if f.id in recorded]
    expected = snapshot.expected_after(snap, applied)
    changes = compare(expected, snapshot.removed_by(snap, applied), snapshot.created_by(snap, applied), live)
    changes = [c for c in changes if not _own_read_grant(c, str(conn.info.user))]
    unmanaged: list[str] = []
    if not applied:
        our_keys = snapshot.created_by(snap, [effect.id for effect in snap.migrations])
        unmanaged = sorted(key for key in our_keys
                           if key in live and live[key].kind in ("schema", "relation", "function"))
    return VerifyReport(
        target=describe_target(conn),
        meta_schema=project.meta_schema,
        unmanaged=unmanaged,
        server_version=version,
        applied=applied,
        pending=[f.id for f in ours if f.id not in recorded],
        ledger_problems=ledger_problems(files, rows),
        changes=changes,
        expected=expected,
        backfills=[b for b in ledger.read_backfills(conn, project.meta_schema) if not b.finished],
    )
