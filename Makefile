# healthschema: `make demo` runs the main job on the embedded default; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HS := $(VENV)/bin/healthschema

.PHONY: setup demo bench test pytest lint fmt render clean-db

setup: $(VENV)/.installed node_modules/.installed

# TypeScript (pinned in package.json / package-lock.json) for the tests that compile the generated types.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# The main job on the local embedded PostgreSQL: preflight, apply (with the platform stub),
# verify against the snapshot, prove the RLS access matrix, and write a deployment report; then
# a small data set, one run of the refresh job and the at-risk summary.
DEMO_SCALE ?= 5000
demo: setup
	$(HS) db start
	$(HS) deploy --with-platform-stub --report demo-report
	$(HS) status
	$(HS) policy-check
	$(HS) seed --scale $(DEMO_SCALE) --if-empty
	$(HS) refresh
	@$(HS) db status
	@echo "The local embedded PostgreSQL is still running (data directory above; HEALTHSCHEMA_HOME moves it)."
	@echo "Stop it with: $(HS) db stop   (or: make clean-db)"

# SPEC §6 on a scratch database of the local server (BENCH_SCALE=1000000 for docs/performance.md).
BENCH_SCALE ?= 100000
bench: setup
	$(HS) db start
	$(HS) bench --scale $(BENCH_SCALE) --chart bench-p95.png

test: lint pytest

# Two workers: each starts its own disposable servers (PostgreSQL 18 embedded + the system's).
PYTEST_WORKERS ?= 2
pytest: setup
	$(PY) -m pytest -n $(PYTEST_WORKERS)

lint: setup
	$(VENV)/bin/ruff check healthschema tests
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

fmt: setup
	$(VENV)/bin/ruff check --fix healthschema tests

render: setup
	$(HS) render

clean-db: setup
	$(HS) db stop
