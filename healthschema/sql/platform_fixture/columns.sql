-- The columns policy-check's fixture must fill in the platform tables it writes: NOT NULL, no
-- default, not identity or generated, and not among the columns it sets itself. For each: its type
-- after resolving domains (with the length / precision modifier of the column or its domain), the
-- element type of an array, the first enum label, whether a unique index covers it, the CHECK
-- definitions on this column alone and of its domains, the names of every constraint and unique
-- index that involve it (to name the column when one rejects a value), and a foreign key's target
-- table (schema.table) and, for a one-column key, the referenced column.
WITH RECURSIVE needed AS (
    SELECT n.nspname::text AS schema_name, c.relname::text AS table_name, c.oid AS relid, a.attnum,
           a.attname::text AS column_name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_name,
           a.atttypid, a.atttypmod
      FROM unnest(%(schemas)s::text[], %(tables)s::text[]) AS w (schema_name, table_name)
      JOIN pg_catalog.pg_namespace AS n ON n.nspname = w.schema_name
      JOIN pg_catalog.pg_class AS c ON c.relnamespace = n.oid AND c.relname = w.table_name
                                   AND c.relkind IN ('r', 'p')
      JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE a.attnotnull AND NOT a.atthasdef AND a.attidentity = '' AND a.attgenerated = ''
       AND (n.nspname || '.' || c.relname || '.' || a.attname) <> ALL (%(filled)s::text[])
), chain AS (
    SELECT relid, attnum, atttypid AS type_oid, NULLIF(atttypmod, -1) AS typmod, 0 AS depth FROM needed
    UNION ALL
    SELECT ch.relid, ch.attnum, t.typbasetype, coalesce(ch.typmod, NULLIF(t.typtypmod, -1)), ch.depth + 1
      FROM chain AS ch
      JOIN pg_catalog.pg_type AS t ON t.oid = ch.type_oid
     WHERE t.typtype = 'd'
), base AS (
    SELECT DISTINCT ON (relid, attnum) relid, attnum, type_oid, typmod
      FROM chain
     ORDER BY relid, attnum, depth DESC
)
SELECT nd.schema_name, nd.table_name, nd.column_name, nd.type_name,
       bt.typname::text, bt.typtype::text, bt.typcategory::text, b.typmod,
       et.typname::text, et.typtype::text, et.typcategory::text,
       (SELECT e.enumlabel::text FROM pg_catalog.pg_enum AS e
         WHERE e.enumtypid = coalesce(et.oid, bt.oid) ORDER BY e.enumsortorder LIMIT 1),
       EXISTS (SELECT FROM pg_catalog.pg_index AS i
                WHERE i.indrelid = nd.relid AND i.indisunique
                  AND nd.attnum = ANY (i.indkey::int2[])),
       ARRAY(SELECT pg_catalog.pg_get_constraintdef(con.oid)
               FROM pg_catalog.pg_constraint AS con
              WHERE con.contype = 'c'
                AND ((con.conrelid = nd.relid AND con.conkey = ARRAY[nd.attnum]::int2[])
                     OR con.contypid IN (SELECT ch.type_oid FROM chain AS ch
                                          WHERE ch.relid = nd.relid AND ch.attnum = nd.attnum))
              ORDER BY con.conname),
       ARRAY(SELECT con.conname::text
               FROM pg_catalog.pg_constraint AS con
              WHERE (con.conrelid = nd.relid AND nd.attnum = ANY (con.conkey))
                 OR con.contypid IN (SELECT ch.type_oid FROM chain AS ch
                                      WHERE ch.relid = nd.relid AND ch.attnum = nd.attnum)
             UNION
             SELECT ic.relname::text
               FROM pg_catalog.pg_index AS i
               JOIN pg_catalog.pg_class AS ic ON ic.oid = i.indexrelid
              WHERE i.indrelid = nd.relid AND i.indisunique AND nd.attnum = ANY (i.indkey::int2[])),
       (SELECT pg_catalog.format('%%s.%%s', rn.nspname, rc.relname)
          FROM pg_catalog.pg_constraint AS con
          JOIN pg_catalog.pg_class AS rc ON rc.oid = con.confrelid
          JOIN pg_catalog.pg_namespace AS rn ON rn.oid = rc.relnamespace
         WHERE con.conrelid = nd.relid AND con.contype = 'f' AND nd.attnum = ANY (con.conkey)
         ORDER BY con.conname LIMIT 1),
       -- the referenced column, when that foreign key has a single column
       (SELECT ra.attname::text
          FROM pg_catalog.pg_constraint AS con
          JOIN pg_catalog.pg_attribute AS ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
         WHERE con.conrelid = nd.relid AND con.contype = 'f' AND nd.attnum = ANY (con.conkey)
           AND pg_catalog.cardinality(con.conkey) = 1
         ORDER BY con.conname LIMIT 1)
  FROM needed AS nd
  JOIN base AS b ON b.relid = nd.relid AND b.attnum = nd.attnum
  JOIN pg_catalog.pg_type AS bt ON bt.oid = b.type_oid
  LEFT JOIN pg_catalog.pg_type AS et ON et.oid = bt.typelem AND bt.typcategory = 'A'
 ORDER BY nd.schema_name, nd.table_name, nd.attnum
