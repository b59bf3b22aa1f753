-- Rendered by `healthschema render` from templates/health/20250901000050_private_schema_and_templates.rollback.sql.j2.
-- Do not edit: change the template or healthschema.toml and render again.
DROP TABLE public.milestone_templates;
DROP FUNCTION healthschema_private.enforce_client_organization();
DROP FUNCTION healthschema_private.caller_sees_organization(uuid);
DROP FUNCTION healthschema_private.caller_is_api_user();
DROP SCHEMA healthschema_private;
