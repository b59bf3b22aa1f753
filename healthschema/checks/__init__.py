"""Checks that read the project or a database and report findings (SPEC §3.2)."""
