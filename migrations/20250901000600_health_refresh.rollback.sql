-- Rendered by `healthschema render` from templates/health/20250901000600_health_refresh.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP FUNCTION healthschema_private.refresh_customer_health(uuid);
DROP FUNCTION healthschema_private.sync_client_changes(uuid, uuid);
