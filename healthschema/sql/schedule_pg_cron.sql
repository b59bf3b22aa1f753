-- Is pg_cron usable here? Installed version in this database, whether the server has it, and
-- which database keeps its jobs (visible in pg_settings when pg_cron is loaded and the caller
-- may read it; hidden rows and unloaded libraries both give NULL).
SELECT (SELECT e.extversion FROM pg_catalog.pg_extension AS e WHERE e.extname = 'pg_cron') AS installed,
       EXISTS (SELECT FROM pg_catalog.pg_available_extensions AS a WHERE a.name = 'pg_cron') AS available,
       (SELECT s.setting FROM pg_catalog.pg_settings AS s WHERE s.name = 'cron.database_name') AS cron_database,
       pg_catalog.current_database() AS current_database
