-- Preflight: which required functions (regprocedure signatures) exist.
SELECT f.signature,
       EXISTS (SELECT FROM pg_catalog.pg_proc AS p JOIN pg_catalog.pg_namespace AS n ON n.oid = p.pronamespace
               WHERE pg_catalog.format('%%I.%%I(%%s)', n.nspname, p.proname,
                                       pg_catalog.pg_get_function_identity_arguments(p.oid)) = f.signature)
FROM unnest(%(functions)s::text[]) AS f(signature)
