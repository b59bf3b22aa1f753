"""Generators from the schema and the project: TypeScript types, milestone scaffolding, Supabase export."""
