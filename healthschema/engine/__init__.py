"""Plan and execute migrations over yoyo. Knows nothing about checks."""
