"""Checks on a plan or a database: preflight, verify, rollback safety, the access matrix, policy check, security, lint,
policy mutations and the CI gate."""
