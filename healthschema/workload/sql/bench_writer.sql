-- One write of the concurrent writer: a new snapshot for one client (triggers included).
INSERT INTO {app}.customer_health (client_id, organization_id, engagement_score, calculated_at)
SELECT c.id, c.organization_id, 50, now() FROM {app}.clients AS c WHERE c.id = {client}
