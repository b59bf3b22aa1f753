SELECT count(*) FROM {app}.clients WHERE organization_id IS NOT NULL
