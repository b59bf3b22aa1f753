"""Packaged SQL by owning module: ``sql/<owner>/<name>.sql`` and ``sql/<owner>/statements.sql``.

See :mod:`healthschema.pg.statements`.
"""
