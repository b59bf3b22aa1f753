"""Internal SQL used by the toolkit itself (bookkeeping, catalog queries)."""
