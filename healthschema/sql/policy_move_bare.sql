-- Move a row into another organization without RETURNING (RETURNING would also apply the SELECT
-- policy to the new row): only the UPDATE policy's WITH CHECK decides.
UPDATE {schema}.{table}
   SET organization_id = %(organization_id)s, client_id = %(client_id)s
 WHERE {key} = %(key)s
