"""``healthschema refresh``: run the health refresh job (``refresh_customer_health``) once, for
every client or one organization, and summarise the result (current snapshots by status, the
clients most at risk)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field

from healthschema.errors import ConfigError
from healthschema.pg import connect as db
from healthschema.workload import sqlfiles


@dataclass(frozen=True)
class StatusCount:
    status: str
    clients: int
    avg_score: float


@dataclass(frozen=True)
class AtRisk:
    organization: str
    client: str
    score: float
    status: str
    churn_risk: float
    days_inactive: int


@dataclass
class RefreshReport:
    organization: str | None
    snapshots: int
    seconds: float
    statuses: list[StatusCount] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)

    @property
    def clients_per_s(self) -> float:
        return round(self.snapshots / max(self.seconds, 1e-9), 1)

    def to_dict(self) -> dict[str, object]:
        return {"organization": self.organization, "snapshots": self.snapshots, "seconds": self.seconds,
                "clients_per_s": self.clients_per_s,
                "statuses": [s.__dict__ for s in self.statuses], "at_risk": [a.__dict__ for a in self.at_risk]}


def validate_organization(organization: str | None) -> str | None:
    """:raises ConfigError: not a UUID."""
    if organization is None:
        return None
    try:
        return str(uuid.UUID(organization))
    except ValueError:
        raise ConfigError(f"--organization must be an organization id (a UUID), got {organization!r}") from None


def _rows(conn: db.Connection, name: str, *, app: str, private: str, **literals: object) -> list[tuple[object, ...]]:
    cur = conn.execute(sqlfiles.compose(sqlfiles.read("sql", name), app=app, private=private, **literals))
    return cur.fetchall()


def summary(url: str, *, app: str, private: str, organization: str | None = None,
            limit: int = 10) -> tuple[list[StatusCount], list[AtRisk]]:
    """Current snapshots by status, and the ``limit`` clients most at risk."""
    with db.connection(url, autocommit=True) as conn:
        statuses = [StatusCount(str(s), int(str(n)), float(str(a)))
                    for s, n, a in _rows(conn, "refresh_summary.sql", app=app, private=private,
                                         organization=organization)]
        at_risk = [AtRisk(str(o), str(c), float(str(s)), str(st), float(str(r)), int(str(d or 0)))
                   for o, c, s, st, r, d in _rows(conn, "refresh_at_risk.sql", app=app, private=private,
                                                  organization=organization, limit=limit)]
    return statuses, at_risk


def refresh(url: str, *, app: str, private: str, organization: str | None = None) -> RefreshReport:
    """Write one new snapshot per client (of ``organization``), in one transaction.

    :raises ConfigError: ``organization`` is not a UUID or names no organization.
    :raises DatabaseError: the job failed (nothing was written).
    """
    organization = validate_organization(organization)
    with db.connection(url) as conn:
        if organization is not None:
            exists = _rows(conn, "refresh_org_exists.sql", app=app, private=private, organization=organization)
            if not exists or not exists[0][0]:
                raise ConfigError(f"no organization with id {organization}",
                                  hint="list them with: SELECT id, name FROM organizations")
        started = time.perf_counter()
        row = _rows(conn, "refresh_run.sql", app=app, private=private, organization=organization)
        conn.commit()
        seconds = round(time.perf_counter() - started, 3)
    report = RefreshReport(organization, int(str(row[0][0])) if row else 0, seconds)
    report.statuses, report.at_risk = summary(url, app=app, private=private, organization=organization)
    return report
