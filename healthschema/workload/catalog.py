"""The dashboard query catalog (``healthschema/workload/queries/*.sql``), SPEC §2.3 / §6.

Each file is one query as the dashboard sends it, with a header::

    -- name: org_health_trend_rls
    -- question: The weekly trend as an app sends it: no organization filter, RLS scopes it.
    -- persona: admin_a                 (a persona of the access matrix, :data:`PERSONAS`)
    -- index: customer_health_org_id_calculated_at_idx
    -- scope: rls                       (explicit: the query names its scope; rls: RLS alone scopes it)
    -- baseline: org_health_trend       (optional: the query service_role runs for the same rows)
    -- persona_index: ...               (optional: the index the persona's plan uses when it differs)
    -- why: ...                         (required with persona_index: why the plans differ)

Placeholders: ``{app}``/``{private}`` (schemas) and the values of :class:`Parameters`, picked
from the seeded data by :func:`parameters`. The persona runs the query the way PostgREST would
(role + JWT claims, transaction-local, :func:`as_persona`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from psycopg import sql as pgsql
from psycopg.types.json import Jsonb

from healthschema.errors import ConfigError, DatabaseError
from healthschema.pg import connect as db
from healthschema.workload import sqlfiles


@dataclass(frozen=True)
class Persona:
    """How PostgREST would run a persona of the access matrix (healthschema.checks.access_matrix;
    tests/test_workload_catalog.py keeps the two in step): its database role and platform role."""

    db_role: str
    platform_role: str | None = None


PERSONAS: dict[str, Persona] = {
    "anon": Persona("anon"), "nobody": Persona("authenticated"), "member_a": Persona("authenticated"),
    "admin_a": Persona("authenticated"), "assignee_a": Persona("authenticated"),
    "cs_agent": Persona("authenticated", "customer_success"),
    "platform_admin": Persona("authenticated", "platform_admin"), "service_role": Persona("service_role"),
    "no_sub": Persona("authenticated"),
}

HEADER = re.compile(r"^--\s*(name|question|persona|index|persona_index|why|scope|baseline):\s*(.+?)\s*$")
REQUIRED = ("name", "question", "persona", "index", "scope")


@dataclass(frozen=True)
class Query:
    name: str
    question: str
    persona: str
    index: str
    scope: str
    baseline: str  # the query whose SQL service_role runs for the same rows (itself by default)
    text: str
    persona_index: str  # the index of the persona's plan (= index unless documented otherwise)
    why: str = ""

    def index_for(self, persona: str) -> str:
        return self.index if persona == "service_role" else self.persona_index

    def indexes_for(self, persona: str) -> tuple[str, ...]:
        """The documented index, or its alternatives (``a | b``: two indexes that serve the query
        equally, e.g. a full scan of the current snapshots; the planner may pick either)."""
        return tuple(name.strip() for name in self.index_for(persona).split("|"))

    @property
    def table(self) -> str:
        return self.index.split("_")[0] + "_" + self.index.split("_")[1]


def parse(name: str, text: str) -> Query:
    """One catalog file. :raises ConfigError: a header field is missing or unknown."""
    fields: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines():
        match = HEADER.match(line)
        if match and not body:
            fields[match[1]] = match[2]
        elif line.strip() or body:
            body.append(line)
    missing = [f for f in REQUIRED if f not in fields]
    if missing:
        raise ConfigError(f"catalog query {name}: header lacks {', '.join(missing)}")
    if fields["persona"] not in PERSONAS:
        raise ConfigError(f"catalog query {name}: unknown persona {fields['persona']!r}")
    if fields["scope"] not in ("explicit", "rls"):
        raise ConfigError(f"catalog query {name}: scope must be explicit or rls")
    if "persona_index" in fields and "why" not in fields:
        raise ConfigError(f"catalog query {name}: persona_index needs a why")
    return Query(fields["name"], fields["question"], fields["persona"], fields["index"], fields["scope"],
                 fields.get("baseline", fields["name"]), "\n".join(body).strip(),
                 fields.get("persona_index", fields["index"]), fields.get("why", ""))


def load() -> list[Query]:
    """Every catalog query, in file order."""
    queries = [parse(n, sqlfiles.read("queries", n)) for n in sqlfiles.names("queries")]
    by_name = {q.name for q in queries}
    for q in queries:
        if q.baseline not in by_name:
            raise ConfigError(f"catalog query {q.name}: unknown baseline {q.baseline!r}")
    return queries


@dataclass(frozen=True)
class Parameters:
    org: str
    client: str
    admin: str
    member: str
    agent: str
    milestone: str
    related_milestone: str
    template: str
    feature: str = "integration_7"
    campaign_tag: str = "campaign-42"
    vendor_condition: str = '{"vendor_id": 42}'

    def literals(self) -> dict[str, object]:
        return {"org": self.org, "client": self.client, "user": self.member, "milestone": self.milestone,
                "related_milestone": self.related_milestone, "template": self.template,
                "feature": self.feature, "campaign_tag": self.campaign_tag,
                "vendor_condition": Jsonb(json.loads(self.vendor_condition))}

    def claims(self, persona: str) -> dict[str, Any] | None:
        """The JWT claims PostgREST would set for ``persona`` (None: no user token)."""
        subject = {"admin_a": self.admin, "member_a": self.member, "assignee_a": self.member,
                   "cs_agent": self.agent, "platform_admin": self.agent, "nobody": self.org}.get(persona)
        if subject is None:
            return None
        claims: dict[str, Any] = {"sub": subject, "role": "authenticated"}
        role = PERSONAS[persona].platform_role
        if role:
            claims["app_metadata"] = {"platform_role": role}
        return claims


def parameters(conn: db.Connection, app: str) -> Parameters:
    """Placeholder values from the seeded data. :raises DatabaseError: the database holds no seed."""
    text = sqlfiles.read("sql", "catalog_parameters.sql")
    row = conn.execute(sqlfiles.compose(text, app=app, private=app)).fetchone()
    if row is None or any(v is None for v in row):
        raise DatabaseError("the database holds no seeded workload", hint="run `healthschema seed --scale N` first")
    return Parameters(*(str(v) for v in row))


def statement(query: Query, params: Parameters, *, app: str, private: str) -> pgsql.Composed:
    return sqlfiles.compose(query.text, app=app, private=private, **params.literals())


@contextmanager
def as_persona(conn: db.Connection, persona: str, params: Parameters, prelude: str | None = None) -> Iterator[None]:
    """Run the block as ``persona`` (role + claims, transaction-local) in a rolled-back transaction;
    ``prelude`` runs first, as the connecting role."""
    info = PERSONAS[persona]
    claims = params.claims(persona)
    with conn.transaction(force_rollback=True):
        if prelude:
            conn.execute(prelude)
        db.execute_file(conn, "policy_check/as", {"role": info.db_role, "claims": json.dumps(claims) if claims else ""})
        yield


def indexes_in_plan(plan: Any) -> set[str]:
    """Index names of every index (only) scan and bitmap index scan in an EXPLAIN (FORMAT JSON) plan."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Index Name" in node:
                found.add(str(node["Index Name"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(plan)
    return found


def explain_indexes(conn: db.Connection, query: Query, params: Parameters, persona: str, *,
                    app: str, private: str) -> set[str]:
    """The indexes the plan of ``query`` uses as ``persona``, including the statements inside our
    search functions (captured with auto_explain's nested statements)."""
    plans: list[Any] = []

    def on_notice(diag: Any) -> None:
        text = str(diag.message_primary or "")
        start = text.find("{")
        if "plan:" in text and start >= 0:
            plans.append(json.loads(text[start:]))

    conn.add_notice_handler(on_notice)
    try:
        nested = "{private}." in query.text
        with as_persona(conn, persona, params, sqlfiles.read("sql", "auto_explain_on.sql") if nested else None):
            row = conn.execute(pgsql.SQL("EXPLAIN (FORMAT JSON) ") + statement(query, params, app=app,
                                                                               private=private)).fetchone()
            if nested:
                conn.execute(pgsql.SQL("SELECT count(*) FROM (") + statement(query, params, app=app, private=private)
                             + pgsql.SQL(") AS q"))
            plans.append(row[0] if row else [])
    finally:
        conn.remove_notice_handler(on_notice)
    return indexes_in_plan(plans)
