"""``bench``'s deploy figures (issue 9 items 1 and 5): how long a deploy keeps the platform tables
locked against writers, and how fast the post-commit back-fill covers the clients.

On a scratch database per client count: the platform stub, ``clients`` clients, then a deploy
of the health migrations; ``platform_lock_ms`` is the runner's own measurement (first
writer-blocking lock on a platform table to commit, :mod:`healthschema.engine.platform_locks`),
``backfill_clients_per_s`` the back-fill phase's clients over its seconds. Measured at two client
counts, the lock time should not grow with the clients (the back-fill is not in the transaction).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from healthschema.engine.backfill import BackfillResult
from healthschema.files.project import Project
from healthschema.pg import connect as db
from healthschema.pg import disposable
from healthschema.workload import sqlfiles


class DeployResult(Protocol):
    @property
    def platform_lock_ms(self) -> float: ...

    @property
    def backfills(self) -> list[BackfillResult]: ...


# (url, stub_only): stub_only applies just the platform stub; else the health migrations (a deploy).
Deployer = Callable[[str, bool], DeployResult]


@dataclass(frozen=True)
class DeployFigures:
    clients: int
    platform_lock_ms: float
    backfill_seconds: float
    backfill_clients_per_s: float
    batches: int


def client_counts(scale: int) -> tuple[int, int]:
    """Two client counts, ten times apart: the seed's clients at ``scale`` (scale / 50) and a tenth."""
    large = max(200, scale // 50)
    return max(20, large // 10), large


def measure(server_url: str, project: Project, deploy: Deployer, clients: int) -> DeployFigures:
    """One deploy onto a platform with ``clients`` clients, on a scratch database (dropped after)."""
    name = f"healthschema_bench_{os.getpid()}_deploy_{clients}"
    disposable.drop_database(server_url, name)
    url = disposable.create_database(server_url, name)
    try:
        deploy(url, True)
        with db.connection(url, autocommit=True) as conn:
            conn.execute(sqlfiles.compose(sqlfiles.read("sql", "bench_deploy_platform.sql"), app=project.app_schema,
                                          private=project.private_schema, clients=clients,
                                          organizations=max(1, clients // 500)))
        result = deploy(url, False)
        seconds = sum(b.seconds for b in result.backfills)
        keys = sum(b.keys_this_run for b in result.backfills)
        return DeployFigures(clients, result.platform_lock_ms, round(seconds, 3),
                             round(keys / seconds, 1) if seconds > 0 else 0.0,
                             sum(b.batches_done for b in result.backfills))
    finally:
        disposable.drop_database(server_url, name)


def figures(server_url: str, project: Project, deploy: Deployer, scale: int) -> dict[str, Any]:
    """The bench keys (``platform_lock_ms_max``, ``backfill_clients_per_s`` at the larger count)
    and both runs as details."""
    runs = [measure(server_url, project, deploy, n) for n in client_counts(scale)]
    return {"platform_lock_ms_max": max(r.platform_lock_ms for r in runs),
            "backfill_clients_per_s": runs[-1].backfill_clients_per_s,
            "deploy": [asdict(r) for r in runs]}
