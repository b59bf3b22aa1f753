-- The refresh job, if scheduled.
SELECT j.jobid, j.schedule, j.command, j.active, j.database, j.username
  FROM cron.job AS j
 WHERE j.jobname = %(name)s
 ORDER BY j.jobid
