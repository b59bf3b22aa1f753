-- name: client_current_health
-- question: What is this client's current health (customer_health_current view)?
-- persona: admin_a
-- index: customer_health_client_id_current_key
-- scope: explicit
SELECT * FROM {app}.customer_health_current WHERE client_id = {client}
