-- The policies a mutation run weakens: our tables' policies, with their roles and which clauses they
-- have, and whether `WITH CHECK -> true` is provably equivalent (the mutant cannot differ): an UPDATE
-- policy whose WITH CHECK is exactly its USING, whose expressions read nothing of its own table (no
-- column, no whole row, no subquery on it: no normal dependency of the policy on its table) and call
-- no volatile function, and that is the only permissive UPDATE policy for its roles. Every row such a
-- policy lets a statement update already passed that same row-independent condition in the same
-- statement (same snapshot, same JWT), so the new row passes WITH CHECK whatever it holds.
SELECT c.relname::text, pol.polname::text, pp.cmd, pp.roles::text[],
       pol.polqual IS NOT NULL AS has_using,
       pol.polwithcheck IS NOT NULL AS has_check,
       pol.polcmd = 'w' AND pol.polpermissive
       AND pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid) = pg_catalog.pg_get_expr(pol.polqual, pol.polrelid)
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                        WHERE d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid = pol.oid
                          AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                          AND d.refobjid = pol.polrelid AND d.deptype = 'n')
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend AS d
                         JOIN pg_catalog.pg_proc AS p ON p.oid = d.refobjid
                        WHERE d.classid = 'pg_catalog.pg_policy'::pg_catalog.regclass AND d.objid = pol.oid
                          AND d.refclassid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND p.provolatile = 'v')
       AND NOT EXISTS (SELECT FROM pg_catalog.pg_policy AS other
                        WHERE other.polrelid = pol.polrelid AND other.oid <> pol.oid AND other.polpermissive
                          AND other.polcmd IN ('w', '*')
                          AND (other.polroles && pol.polroles OR 0 = ANY (other.polroles)
                               OR 0 = ANY (pol.polroles)))
       AS check_true_equivalent
  FROM pg_catalog.pg_policy AS pol
  JOIN pg_catalog.pg_class AS c ON c.oid = pol.polrelid
  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_policies AS pp
    ON pp.schemaname = n.nspname AND pp.tablename = c.relname AND pp.policyname = pol.polname
 WHERE n.nspname = %(schema)s
   AND c.relname = ANY (%(tables)s::text[])
 ORDER BY c.relname, pol.polname
