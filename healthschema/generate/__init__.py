"""Generators: files derived from the project (types, exports, scaffolding)."""
