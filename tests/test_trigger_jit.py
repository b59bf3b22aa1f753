"""The row triggers' per-row lookups are never JIT-compiled.

Regression: the trigger functions run with ``SET enable_seqscan = off`` (their cached plans must
use the indexes), which makes a scan of even the one-row health_score_config cost 1e10 — far above
``jit_above_cost`` — so on a PostgreSQL built with LLVM (Debian's 15) every inserted snapshot paid
~0.1-0.3 s of JIT compilation: 3,000 snapshots took ~10 minutes instead of 0.2 s.
"""

from __future__ import annotations

from typing import Any

import psycopg

from tests import health_data as hd


def test_functions_that_disable_seq_scans_also_disable_jit(txn: psycopg.Connection[Any]) -> None:
    rows = txn.execute("""
        SELECT p.proname::text, p.proconfig FROM pg_proc AS p
         WHERE p.pronamespace = 'healthschema_private'::regnamespace
           AND 'enable_seqscan=off' = ANY (p.proconfig) ORDER BY 1""").fetchall()
    assert "customer_health_score" in {name for name, _ in rows}
    assert [name for name, config in rows if "jit=off" not in config] == []


def test_inserting_a_snapshot_and_a_milestone_compiles_nothing(txn: psycopg.Connection[Any]) -> None:
    """auto_explain logs every nested statement the triggers run; none of their plans used JIT
    (on a server without LLVM, pg_jit_available() is false and nothing is ever compiled)."""
    plans: list[str] = []

    def collect(notice: psycopg.errors.Diagnostic) -> None:
        plans.append(notice.message_primary or "")

    txn.add_notice_handler(collect)
    try:
        txn.execute("LOAD 'auto_explain'")
        for setting, value in [("auto_explain.log_min_duration", "0"), ("auto_explain.log_nested_statements", "on"),
                               ("auto_explain.log_analyze", "on"), ("auto_explain.log_level", "notice"),
                               ("jit", "on"), ("jit_above_cost", "100000")]:
            txn.execute("SELECT set_config(%s, %s, true)", (setting, value))
        org = hd.org(txn)
        client = hd.client(txn, org)
        hd.snapshot(txn, client, org, engagement_score=50)
        hd.milestone(txn, client, org, milestone_name="Book the venue")
        txn.execute("SELECT set_config('auto_explain.log_min_duration', '-1', true)")
    finally:
        txn.remove_notice_handler(collect)
    nested = [plan for plan in plans if "health_score_config" in plan]
    assert nested, plans  # the trigger's own lookups were logged
    assert [plan for plan in plans if "JIT:" in plan] == []
