# zhucun — two commands set everything up on a fresh Debian machine with Python 3.11:
#   make run    create .venv, install, migrate the embedded database, load the demo county, serve
#   make test   install the test tools, lint, then run the whole suite on SQLite and on PostgreSQL
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.test-installed
export ZHUCUN_DATABASE_URL ?= sqlite:///var/zhucun.db

.PHONY: run serve install lint test test-sqlite test-postgresql test-citus bench messages migration clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/zhucun db upgrade
	$(BIN)/zhucun demo --if-empty
	$(BIN)/zhucun serve --host $(HOST) --port $(PORT) --banner

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's chromium for the browser tests, PostgreSQL for the second backend.
system-deps:
	@scripts/system-deps

# Style, formatting and core's types, before any test runs: a failure stops make test.
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint system-deps
	scripts/run-tests $(BIN)

test-sqlite: $(TEST_STAMP)
	scripts/run-tests $(BIN) sqlite

test-postgresql: $(TEST_STAMP) system-deps
	scripts/run-tests $(BIN) postgresql

# Against a Citus coordinator (scripts/citus-throwaway starts one): not part of "make test".
test-citus: $(TEST_STAMP)
	@[ -n "$(CITUS_URL)" ] || { echo "usage: make test-citus CITUS_URL=postgresql://USER@COORDINATOR/DB" >&2; exit 2; }
	scripts/test-citus $(BIN) "$(CITUS_URL)"

bench: $(TEST_STAMP) system-deps
	scripts/run-bench $(BIN)

messages: $(TEST_STAMP)
	$(BIN)/python scripts/messages.py

# The next revision of the one linear history: src/zhucun/migrations/versions/YYYY_MM_DD_NNNN_slug.py
migration: $(STAMP)
	$(BIN)/python scripts/new-migration.py "$(MESSAGE)"

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
