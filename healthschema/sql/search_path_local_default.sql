-- Migrations run with the database's normal search_path, not the bookkeeping schema.
SET LOCAL search_path TO DEFAULT
