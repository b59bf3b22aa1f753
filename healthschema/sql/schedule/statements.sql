-- Named statements of healthschema's workload/schedule module: each `-- name:` line starts one.

-- name: pg_cron
-- Is pg_cron usable here? Installed version in this database, whether the server has it, and
-- which database keeps its jobs (visible in pg_settings when pg_cron is loaded and the caller
-- may read it; hidden rows and unloaded libraries both give NULL).
SELECT (SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname = 'pg_cron') AS installed,
       EXISTS (SELECT FROM pg_catalog.pg_available_extensions AS a WHERE a.name = 'pg_cron') AS available,
       (SELECT s.setting FROM pg_catalog.pg_settings AS s WHERE s.name = 'cron.database_name') AS cron_database,
       pg_catalog.current_database() AS current_database

-- name: get
SELECT j.jobid, j.schedule, j.command, j.active, j.database, j.username
  FROM cron.job AS j
 WHERE j.jobname = %(name)s
 ORDER BY j.jobid

-- name: set
-- Create the job or update it in place (pg_cron matches on job name and user).
SELECT cron.schedule(%(name)s, %(schedule)s, %(command)s)

-- name: activate
-- A job disabled by hand is switched back on when it is scheduled again.
SELECT cron.alter_job(%(job_id)s, active := true)

-- name: unset
SELECT cron.unschedule(%(name)s)
