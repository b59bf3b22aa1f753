"""Disk only, never connects: the project and its typed configuration, migration files, rendering, quoting."""
