-- The trigger-overhead rows (a temporary table of new snapshots) get statistics before they are inserted.
ANALYZE bench_snapshot
