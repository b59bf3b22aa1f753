"""Workload on a database: the dashboard query catalog, seed data, the health refresh and its
pg_cron schedule, the benchmark."""
