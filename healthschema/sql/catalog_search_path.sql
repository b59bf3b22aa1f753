-- Set the session's search_path (empty while describing, so that every name is schema-qualified
-- in pg_get_*def output regardless of the caller's search_path); returns the previous value.
SELECT pg_catalog.current_setting('search_path'), pg_catalog.set_config('search_path', %(search_path)s, false)
