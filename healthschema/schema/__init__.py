"""The schema: system-catalog description, expected snapshot, typed model."""
