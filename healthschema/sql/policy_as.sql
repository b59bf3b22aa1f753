-- Impersonate a persona the way PostgREST does: the role and the JWT claims, transaction-local.
SELECT pg_catalog.set_config('role', %(role)s, true),
       pg_catalog.set_config('request.jwt.claims', %(claims)s, true)
