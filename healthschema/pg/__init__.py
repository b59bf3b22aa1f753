"""PostgreSQL: connections, local and disposable servers, the ledger and the migration lock."""
