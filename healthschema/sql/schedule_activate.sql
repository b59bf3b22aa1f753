-- A job disabled by hand is switched back on when it is scheduled again.
SELECT cron.alter_job(%(job_id)s, active := true)
