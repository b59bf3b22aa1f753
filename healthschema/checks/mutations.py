"""``policy-check --mutations``: does the access matrix notice a weakened policy?

Inside ONE transaction that is always rolled back, the policy-check fixture is created once; then
each mutation is applied in its own savepoint (rolled back afterwards, which also releases its
lock), and the matrix cells of the mutated table are run against it:

* ``using_true``: a policy's USING becomes ``true``;
* ``check_true``: a policy's WITH CHECK becomes ``true``;
* ``add_role``: ``anon`` is added to the policy's roles;
* ``drop_force``: the table's RLS is no longer FORCEd.

A mutation is *caught* when some cell's outcome differs from the matrix. USING and WITH CHECK
mutations count only matrix cells (the static ``policy_always_true`` check would notice ``true``,
not a subtler weakening). Adding ``anon`` and dropping FORCE change nothing any API persona can
observe (anon holds no privilege; FORCE concerns the owner), so for those the security check made
for exactly that change counts (``policy_for_anon``, ``rls_not_forced``). A mutation nothing
catches is a gap in what the matrix tests — unless it is provably *equivalent*: ``check_true`` on an
UPDATE policy whose WITH CHECK equals its USING, reads nothing of the row and calls no volatile
function, and which is the only permissive UPDATE policy for its roles (the catalog says so:
``sql/mutations/policies.sql``). Every row such a policy lets a statement update already passed that
same row-independent condition, so no new row can tell ``true`` from it; the report lists these
separately, with the reason, and they are not gaps. They are still run, and count as caught if a
cell ever notices them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from psycopg import sql as pgsql

from healthschema.checks import access_matrix as am
from healthschema.checks import policy_check, security
from healthschema.errors import DatabaseError
from healthschema.pg import connect as db
from healthschema.pg import statements

KINDS: tuple[str, ...] = ("using_true", "check_true", "add_role", "drop_force")
# The security check that counts for the mutations no persona can observe.
DETECTING_FINDING = {"add_role": "policy_for_anon", "drop_force": "rls_not_forced"}
EQUIVALENT_CHECK = ("its WITH CHECK equals its USING, reads nothing of the row and calls no volatile function, "
                    "and it is the only permissive UPDATE policy for its roles: every row it lets a statement "
                    "update already passed the same condition, so no new row can tell WITH CHECK (true) from it")
STATEMENT = {"using_true": "mutations/using_true", "check_true": "mutations/check_true",
             "add_role": "mutations/add_role", "drop_force": "mutations/drop_force"}


@dataclass(frozen=True)
class Mutation:
    kind: str
    table: str
    policy: str | None = None  # None for drop_force
    roles: tuple[str, ...] = ()
    equivalent: str = ""  # why the mutant provably cannot differ from the policy (empty: it can)

    @property
    def name(self) -> str:
        target = f"{self.table}.{self.policy}" if self.policy else self.table
        return f"{self.kind} {target}"


@dataclass(frozen=True)
class MutationResult:
    mutation: Mutation
    cells: list[str]  # the cells that noticed it (described)
    findings: list[str]  # the detecting security findings (add_role / drop_force only)

    @property
    def caught(self) -> bool:
        return bool(self.cells or self.findings)

    @property
    def equivalent(self) -> bool:
        """Not caught, and provably unobservable (:attr:`Mutation.equivalent` says why)."""
        return not self.caught and bool(self.mutation.equivalent)

    def to_dict(self) -> dict[str, Any]:
        return {"mutation": self.mutation.name, "kind": self.mutation.kind, "table": self.mutation.table,
                "policy": self.mutation.policy, "caught": self.caught, "cells": self.cells,
                "findings": self.findings, "equivalent": self.mutation.equivalent if self.equivalent else ""}


@dataclass
class MutationReport:
    results: list[MutationResult] = field(default_factory=list)
    baseline: list[str] = field(default_factory=list)  # cells that differ without any mutation

    @property
    def uncaught(self) -> list[MutationResult]:
        """Neither caught nor provably equivalent: gaps in the matrix."""
        return [r for r in self.results if not r.caught and not r.equivalent]

    @property
    def equivalent(self) -> list[MutationResult]:
        return [r for r in self.results if r.equivalent]

    @property
    def ok(self) -> bool:
        return not self.baseline and not self.uncaught

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MutationReport:
        """The inverse of :meth:`to_dict` (for reports read back from JSON)."""
        results = [MutationResult(Mutation(r["kind"], r["table"], r["policy"], equivalent=r.get("equivalent", "")),
                                  r["cells"], r["findings"])
                   for r in data["results"]]
        return cls(results, list(data["baseline_mismatches"]))

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "mutations": len(self.results), "uncaught": [r.mutation.name for r in self.uncaught],
                "equivalent": [r.mutation.name for r in self.equivalent],
                "baseline_mismatches": self.baseline, "results": [r.to_dict() for r in self.results]}


def mutations(conn: db.Connection, schema: str, tables: tuple[str, ...]) -> list[Mutation]:
    """Every mutation of our policies and tables, in a stable order."""
    rows = db.fetch_all(conn, "mutations/policies", {"schema": schema, "tables": list(tables)})
    found: list[Mutation] = []
    for table, policy, _cmd, roles, has_using, has_check, check_equivalent in rows:
        if has_using:
            found.append(Mutation("using_true", table, policy))
        if has_check:
            found.append(Mutation("check_true", table, policy, equivalent=EQUIVALENT_CHECK if check_equivalent else ""))
        if "anon" not in roles and "public" not in roles:
            found.append(Mutation("add_role", table, policy, (*roles, "anon")))
    found += [Mutation("drop_force", table) for table in tables]
    return found


def _statement(mutation: Mutation, schema: str) -> pgsql.Composed:
    names: dict[str, Any] = {"schema": pgsql.Identifier(schema), "table": pgsql.Identifier(mutation.table)}
    if mutation.policy is not None:
        names["policy"] = pgsql.Identifier(mutation.policy)
    if mutation.kind == "add_role":
        names["roles"] = pgsql.SQL(", ").join(pgsql.Identifier(role) for role in mutation.roles)
    return pgsql.SQL(statements.text(STATEMENT[mutation.kind]).strip()).format(**names)


def _run_cells(conn: db.Connection, cells: list[am.Cell], fixture: policy_check.Fixture,
               schema: str) -> list[policy_check.CellResult]:
    return [policy_check.run_cell(conn, cell, fixture, schema) for cell in cells]


Progress = Callable[[int, int, Mutation], None]


def _no_progress(done: int, total: int, mutation: Mutation) -> None:
    return None


def check_mutations(
    url: str, schema: str = "public", private_schema: str = "healthschema_private",
    cells: list[am.Cell] | None = None, kinds: tuple[str, ...] = KINDS,
    tables: tuple[str, ...] = am.TABLE_NAMES, progress: Progress = _no_progress,
) -> MutationReport:
    """Weaken each policy in turn and run the matrix cells of its table; changes nothing.

    ``cells``: the matrix to test with (default: all of it) — a narrower one shows its gaps.

    :raises DatabaseError: the database cannot be reached, a mutation cannot be applied (not the
        owner), or the fixture cannot be created.
    """
    matrix = [c for c in (cells if cells is not None else am.cells()) if c.table in tables]
    report = MutationReport()
    with db.connection(url, autocommit=True) as conn, conn.transaction(force_rollback=True):
        fixture = policy_check.new_fixture()
        policy_check.create_fixture(conn, fixture, schema)
        report.baseline = [r.describe() for r in _run_cells(conn, matrix, fixture, schema) if not r.ok]
        todo = [m for m in mutations(conn, schema, tables) if m.kind in kinds]
        for number, mutation in enumerate(todo, start=1):
            progress(number, len(todo), mutation)
            report.results.append(_try(conn, mutation, [c for c in matrix if c.table == mutation.table],
                                       fixture, schema, private_schema, tables))
    return report


def _try(conn: db.Connection, mutation: Mutation, cells: list[am.Cell], fixture: policy_check.Fixture,
         schema: str, private_schema: str, tables: tuple[str, ...]) -> MutationResult:
    with conn.transaction(force_rollback=True):
        try:
            conn.execute(_statement(mutation, schema))
        except psycopg.Error as exc:
            raise DatabaseError(f"cannot apply mutation {mutation.name}: {db.describe_error(exc)}",
                                hint="run policy-check --mutations as the owner of the tables") from exc
        noticed = [r.describe() for r in _run_cells(conn, cells, fixture, schema) if not r.ok]
        findings: list[str] = []
        if mutation.kind in DETECTING_FINDING:
            findings = [str(f) for f in security.findings_on(conn, schema, private_schema, tables)
                        if f.rule == DETECTING_FINDING[mutation.kind]]
    return MutationResult(mutation, noticed, findings)
