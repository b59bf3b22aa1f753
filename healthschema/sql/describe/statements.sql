-- Named statements of healthschema's describe module: each `-- name:` line starts one.

-- name: schemas
-- Catalog description: schemas (rows: key, kind, schema, parent, attrs).
SELECT 'schema ' || format('%%I', n.nspname), 'schema', n.nspname, NULL::text,
       jsonb_build_object('comment', obj_description(n.oid, 'pg_namespace'))
FROM pg_catalog.pg_namespace AS n
WHERE n.nspname <> ALL (%(excluded)s::text[])
  AND n.nspname NOT LIKE 'pg\_%%' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                  WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')

-- name: search_path
-- Set the session's search_path (empty while describing, so that every name is schema-qualified
-- in pg_get_*def output regardless of the caller's search_path); returns the previous value.
SELECT pg_catalog.current_setting('search_path'), pg_catalog.set_config('search_path', %(search_path)s, false)
