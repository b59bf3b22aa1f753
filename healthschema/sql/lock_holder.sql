SELECT l.pid, a.application_name, a.client_addr::text, a.backend_start
FROM pg_locks AS l
LEFT JOIN pg_stat_activity AS a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.objid = (hashtext('healthschema:' || %(schema)s::text))::oid
LIMIT 1
