-- Create the job or update it in place (pg_cron matches on job name and user).
SELECT cron.schedule(%(name)s, %(schedule)s, %(command)s)
