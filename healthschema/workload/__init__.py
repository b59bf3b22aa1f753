"""Workload on a database: the dashboard query catalog, seed data, the health refresh, the benchmark."""
