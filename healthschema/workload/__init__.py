"""The dashboard workload (issue 12): the query catalog, demo/benchmark data, the refresh job, its
pg_cron schedule and the benchmark. Library only: nothing here prints or exits."""
