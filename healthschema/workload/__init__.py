"""The dashboard workload (issue 12): the query catalog, demo/benchmark data, the refresh job and
the benchmark. Library only: nothing here prints or exits."""
