-- Foreign keys of our tables whose columns do not lead any valid, non-partial index.
SELECT c.relname::text,
       con.conname::text,
       (SELECT pg_catalog.string_agg(a.attname, ', ' ORDER BY k.ord)
          FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k (attnum, ord)
          JOIN pg_catalog.pg_attribute AS a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns
  FROM pg_catalog.pg_constraint AS con
  JOIN pg_catalog.pg_class AS c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
 WHERE con.contype = 'f'
   AND n.nspname = %(schema)s
   AND c.relname = ANY (%(tables)s::text[])
   AND NOT EXISTS (
       SELECT FROM pg_catalog.pg_index AS i
        WHERE i.indrelid = con.conrelid
          AND i.indisvalid
          AND i.indpred IS NULL
          AND (SELECT pg_catalog.array_agg(k.attnum)
                 FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
                WHERE k.ord <= pg_catalog.cardinality(con.conkey)) OPERATOR(pg_catalog.@>) con.conkey
          AND (SELECT pg_catalog.array_agg(k.attnum)
                 FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k (attnum, ord)
                WHERE k.ord <= pg_catalog.cardinality(con.conkey)) OPERATOR(pg_catalog.<@) con.conkey
   )
 ORDER BY 1, 2
