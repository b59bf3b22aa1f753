"""Generators: TypeScript types, milestone scaffolding."""
