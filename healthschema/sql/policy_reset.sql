-- Back to the connecting (owner) role, without JWT claims.
SELECT pg_catalog.set_config('role', 'none', true),
       pg_catalog.set_config('request.jwt.claims', '', true)
