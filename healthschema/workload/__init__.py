"""Workload: the refresh job and its schedule (issue 12 adds queries, seed, bench)."""
