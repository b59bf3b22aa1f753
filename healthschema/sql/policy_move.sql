-- Move a row into another organization (with that organization's client, so that only RLS decides).
UPDATE {schema}.{table}
   SET organization_id = %(organization_id)s, client_id = %(client_id)s
 WHERE {key} = %(key)s
RETURNING 1
