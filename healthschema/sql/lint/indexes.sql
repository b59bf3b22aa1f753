-- Every index of the tables of the given schemas, with what makes two indexes equivalent:
-- access method, key columns (0 = an expression), expressions, predicate, operator classes,
-- collations, sort options (DESC, NULLS FIRST), and whether it enforces uniqueness.
SELECT n.nspname::text AS schema, t.relname::text AS table_name, ic.relname::text AS index_name,
       am.amname::text, i.indkey::int2[]::int[] AS keys, i.indnkeyatts::int AS key_count,
       coalesce(pg_catalog.pg_get_expr(i.indexprs, i.indrelid), '') AS expressions,
       coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), '') AS predicate,
       pg_catalog.array_to_string(i.indclass::oid[], ',') AS opclasses,
       pg_catalog.array_to_string(i.indcollation::oid[], ',') AS collations,
       i.indoption::int2[]::int[] AS options,
       i.indisunique OR i.indisprimary OR i.indisexclusion AS enforces
  FROM pg_catalog.pg_index AS i
  JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
  JOIN pg_catalog.pg_class AS t ON t.oid = i.indrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = t.relnamespace
  JOIN pg_catalog.pg_am AS am ON am.oid = ic.relam
 WHERE n.nspname = ANY (%(schemas)s::text[])
 ORDER BY 1, 2, 3
