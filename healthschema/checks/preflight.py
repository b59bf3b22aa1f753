"""Preflight: can the migrations be applied to this database? Changes nothing.

Checks (SPEC §2.1, §3.2): the server version (15 or newer); the platform objects the health
schema builds on (``auth`` schema and functions, the API roles, ``organizations``,
``user_profiles``, ``clients``, ``activity_logs`` with the columns we use); objects that carry the
names of objects a *pending* migration creates but that our ledger does not record (the original
schema failed in production with "relation customer_health already exists"); and the privileges
needed to apply; and whether policy-check will be able to write its temporary platform rows (every
NOT NULL column without a default filled: :mod:`healthschema.checks.platform_fixture`, tried in a
transaction that is always rolled back — the only writes preflight makes). With
``with_platform_stub`` a missing platform object is not a problem (the stub creates it) but the
privileges to create it are checked. Name conflicts are looked up in the committed snapshot
(:mod:`healthschema.schema.snapshot`); a pending migration the snapshot does not know yet is
reported as a note.

:mod:`healthschema.operations` runs it under the migration lock before apply and deploy; any problem
aborts with :class:`~healthschema.errors.PreflightError` (exit 2) before anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from healthschema.checks import platform_fixture, policy_check
from healthschema.errors import ConfigError
from healthschema.files.migration_files import MigrationFile, health, platform_stub, read_all, resolve_version
from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.pg import ledger
from healthschema.schema import describe as catalog
from healthschema.schema import snapshot

MIN_SERVER_VERSION = 150000
REQUIRED_ROLES = ("anon", "authenticated", "service_role")
REQUIRED_FUNCTIONS = ("auth.uid()", "auth.jwt()", "auth.role()")
# Column type families, as pg_type.typname values.
TYPE_FAMILIES: dict[str, frozenset[str]] = {
    "uuid": frozenset({"uuid"}),
    "date": frozenset({"date"}),
    "timestamp": frozenset({"timestamptz", "timestamp"}),
    "text": frozenset({"text", "varchar", "bpchar", "citext", "name"}),
}
# (schema or None for the app schema, table, {column: type family} the health schema uses). The
# engagement source comes from [variables.activity_source] (see required_tables()).
REQUIRED_TABLES: tuple[tuple[str | None, str, dict[str, str]], ...] = (
    ("auth", "users", {"id": "uuid"}),
    (None, "organizations", {"id": "uuid"}),
    (None, "user_profiles", {"user_id": "uuid", "organization_id": "uuid", "role": "text"}),
    (None, "clients", {"id": "uuid", "organization_id": "uuid", "wedding_date": "date", "created_at": "timestamp"}),
)
CONFLICT_KINDS = ("schema", "relation", "column", "function", "type", "index", "trigger", "policy", "constraint")


@dataclass(frozen=True)
class PreflightReport:
    server_version: str
    problems: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "server_version": self.server_version, "problems": self.problems,
                "notes": self.notes}


def _platform_problems(conn: db.Connection, project: Project, stub: bool, notes: list[str]) -> list[str]:
    problems: list[str] = []

    def missing(what: str) -> None:
        if stub:
            notes.append(f"{what} is missing; the platform stub will create it")
        else:
            problems.append(f"required platform object {what} is missing (SPEC §2.1)")

    for name, present, bypass in db.fetch_all(conn, "preflight/roles", {"roles": list(REQUIRED_ROLES)}):
        if not present:
            missing(f"role {name}")
        elif name == "service_role" and not bypass:
            problems.append("role service_role exists but lacks BYPASSRLS")
    for signature, present in db.fetch_all(conn, "preflight/functions", {"functions": list(REQUIRED_FUNCTIONS)}):
        if not present:
            missing(f"function {signature}")
    tables = required_tables(project)
    params = {"schemas": [t[0] for t in tables], "tables": [t[1] for t in tables]}
    found = {(row[0], row[1]): row[2:] for row in db.fetch_all(conn, "preflight/tables", params)}
    absent_tables = 0
    for schema, name, wanted in tables:
        present, columns, types, can_reference = found[(schema, name)]
        if not present:
            absent_tables += 1
            source = " ([variables.activity_source] names it)" if name == project.activity_source.table else ""
            missing(f"table {schema}.{name}{source}")
            continue
        typed = dict(zip(columns, types, strict=True))
        absent = [column for column in wanted if column not in typed]
        if absent:
            problems.append(f"table {schema}.{name} lacks column(s) {', '.join(absent)} (SPEC §2.1)")
        for column, family in wanted.items():
            if column in typed and typed[column] not in TYPE_FAMILIES[family]:
                problems.append(f"column {schema}.{name}.{column} is {typed[column]}, the health schema needs "
                                f"{family} (SPEC §2.1)")
        if not can_reference and name != project.activity_source.table:
            problems.append(f"no REFERENCES privilege on {schema}.{name} (foreign keys point at it)")
    if not stub and absent_tables == len(tables):
        notes.append("no platform table exists: on plain PostgreSQL use --with-platform-stub "
                     "to create minimal ones (never on Supabase)")
    return problems


def fixture_problems(url: str, project: Project) -> list[str]:
    """Can policy-check create its temporary platform rows here (every NOT NULL column without a
    default filled)? The same code as policy-check's fixture, in a transaction always rolled back:
    otherwise deploy would stop after applying."""
    fixture = policy_check.new_fixture()
    rows = policy_check.platform_rows(fixture, project.app_schema)
    return platform_fixture.trial(url, rows, fixture.tag, project.app_schema)


def required_tables(project: Project) -> list[tuple[str, str, dict[str, str]]]:
    """The platform tables and typed columns the health schema uses, the engagement source included."""
    source = project.activity_source
    tables = [(schema or project.app_schema, name, columns) for schema, name, columns in REQUIRED_TABLES]
    tables.append((project.app_schema, source.table, {
        source.client_id_column: "uuid", source.occurred_at_column: "timestamp", source.action_column: "text"}))
    return tables


def is_supabase(conn: db.Connection) -> bool:
    """Does this look like a Supabase database (its admin roles, or PostgREST's authenticator with
    GoTrue's auth.users)?"""
    return bool(db.fetch_value(conn, "preflight/supabase"))


def _ledger_readable(conn: db.Connection, project: Project) -> bool:
    return bool(db.fetch_value(conn, "preflight/ledger_readable", {"schema": project.meta_schema}))


def _pending(files: list[MigrationFile], rows: list[ledger.LedgerRow]) -> list[MigrationFile]:
    recorded = {row.migration_id for row in rows}
    return [f for f in health(files) if f.id not in recorded]


def _conflicts(
    project: Project, conn: db.Connection, pending: list[MigrationFile], notes: list[str]
) -> list[str]:
    if not pending:
        return []
    try:
        snap = snapshot.load(project)
    except ConfigError as exc:
        notes.append(f"name conflicts not checked: {exc.message}")
        return []
    effects = snap.by_id()
    stale = {f.id for f in snapshot.stale_files(snap, pending)}
    live = catalog.describe(conn, (project.meta_schema,))
    problems = []
    for file in pending:
        effect = effects.get(file.id)
        if effect is None or file.id in stale:
            notes.append(f"name conflicts not checked for {file.id}: the snapshot is stale "
                         "(run `healthschema snapshot`)")
            continue
        created = [key for key in effect.created if key.split(" ", 1)[0] in CONFLICT_KINDS and key in live]
        reported = set(created)
        for key in created:
            if any(parent in reported for parent in catalog.ancestors(live, key)):
                continue  # its table already conflicts
            problems.append(f"{key} already exists but was not created by healthschema "
                            f"(migration {file.id} creates it and is not applied)")
        problems += _name_taken(conn, file, [key for key in effect.created if key not in reported])
    return problems


_KIND_NAMES = {"r": "table", "p": "table", "v": "view", "m": "materialized view", "i": "index", "S": "sequence",
               "f": "foreign table", "c": "type", "type": "type"}


def _name_taken(conn: db.Connection, file: MigrationFile, created: list[str]) -> list[str]:
    """Relations, indexes and types share one name space per schema: a name the migration needs
    that something else already uses (an index of another table, a view, a type) is a conflict."""
    wanted: dict[tuple[str, str], str] = {}
    for key in created:
        kind, _, name = key.partition(" ")
        parts = name.split(".")
        if kind == "relation" and len(parts) == 2:
            wanted[(parts[0], parts[1])] = key
        elif kind == "index" and len(parts) == 3:
            wanted[(parts[0], parts[2])] = key
    if not wanted:
        return []
    rows = db.fetch_all(conn, "preflight/relation_names",
                        {"schemas": [s for s, _ in wanted], "names": [n for _, n in wanted]})
    problems = []
    for schema, name, relkind, on_table in rows:
        holder = _KIND_NAMES.get(relkind, relkind) + (f" on {on_table}" if on_table else "")
        problems.append(f"the name {schema}.{name} is taken by an existing {holder}; migration {file.id} "
                        f"creates {wanted[(schema, name)]}")
    return sorted(set(problems))


def _privilege_problems(conn: db.Connection, project: Project, stub: bool, pending: list[MigrationFile]) -> list[str]:
    user, create_db, create_role, _ = db.fetch_all(conn, "preflight/role_privileges")[0]
    created = _created_schemas(project, pending)
    schemas = [project.app_schema, project.meta_schema, "auth", *created]
    info = {row[0]: row[1:] for row in db.fetch_all(conn, "preflight/schemas", {"schemas": schemas})}
    problems = []
    app_exists, app_usage, app_create = info[project.app_schema]
    if not app_exists:
        problems.append(f"schema {project.app_schema} does not exist")
    elif pending and not (app_usage and app_create):
        problems.append(f"{user} lacks {_lacking(app_usage, app_create)} on schema {project.app_schema}")
    meta_exists, meta_usage, meta_create = info[project.meta_schema]
    if meta_exists and not (meta_usage and meta_create):
        problems.append(f"{user} lacks {_lacking(meta_usage, meta_create)} on the bookkeeping schema "
                        f"{project.meta_schema}")
    if not meta_exists and not create_db:
        problems.append(f"{user} cannot create the bookkeeping schema {project.meta_schema} "
                        "(no CREATE on the database)")
    missing = [name for name in created if not info[name][0]]
    if missing and not create_db:
        problems.append(f"{user} cannot create schema(s) {', '.join(missing)} (no CREATE on the database)")
    if stub:
        roles = {name: present for name, present, _ in db.fetch_all(
            conn, "preflight/roles", {"roles": list(REQUIRED_ROLES)})}
        if not all(roles.values()) and not create_role:
            problems.append(f"{user} cannot create the missing API roles (needs CREATEROLE) for the platform stub")
        if not info["auth"][0] and not create_db:
            problems.append(f"{user} cannot create schema auth for the platform stub (no CREATE on the database)")
    return problems


def _lacking(usage: bool, create: bool) -> str:
    """Exactly the schema privileges that are missing."""
    return " and ".join(name for name, held in (("USAGE", usage), ("CREATE", create)) if not held)


def _created_schemas(project: Project, pending: list[MigrationFile]) -> list[str]:
    try:
        effects = snapshot.load(project).by_id()
    except ConfigError:
        return []
    names = []
    for file in pending:
        effect = effects.get(file.id)
        names += [key.split(" ", 1)[1] for key in (effect.created if effect else []) if key.startswith("schema ")]
    return names


def preflight(
    project: Project, url: str, with_platform_stub: bool = False, to: str | None = None
) -> PreflightReport:
    """Check the target before applying (up to ``to``, default all); changes nothing.

    :raises DatabaseError: the database cannot be reached or read.
    :raises ConfigError: ``to`` is not a known version.
    """
    files = read_all(project)
    if to is not None:
        files = files[: files.index(resolve_version(files, to)) + 1]
    notes: list[str] = []
    with db.connection(url) as conn:
        conn.read_only = True
        version = db.server_version(conn)
        version_num = db.fetch_all(conn, "preflight/role_privileges")[0][3]
        if version_num < MIN_SERVER_VERSION:
            return PreflightReport(version, [f"PostgreSQL {version} is too old: 15 or newer is required"], notes)
        stub = with_platform_stub and bool(platform_stub(files))
        problems = _platform_problems(conn, project, stub, notes)
        problems += fixture_problems(url, project)
        if with_platform_stub and is_supabase(conn):
            problems.insert(0, "this is a Supabase database: --with-platform-stub is only for standalone PostgreSQL")
        if _ledger_readable(conn, project):
            pending = _pending(files, ledger.read(conn, project.meta_schema))
            problems += _conflicts(project, conn, pending, notes)
        else:
            pending = _pending(files, [])
            problems.append(f"cannot read the ledger {project.meta_schema}.ledger (no USAGE or SELECT)")
        problems += _privilege_problems(conn, project, stub, pending)
    return PreflightReport(version, problems, notes)
