INSERT INTO {schema}.customer_health (id, client_id, organization_id)
VALUES (%(key)s, %(client_id)s, %(organization_id)s)
-- no RETURNING: only the INSERT policy's WITH CHECK decides
