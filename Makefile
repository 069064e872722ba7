# Orange Friday: `make run` serves the demo community, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-dev migrate demo lint test test-fast lock clean bench bench-quick

# The stamp files make the install re-run only when a lock file changes.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(MANAGE) migrate --no-input

# Loads the demo community once; later runs keep what is there.
demo: migrate
	$(MANAGE) load_demo --if-empty

# The web server, a task worker (emails, the Friday cut) and the scheduler that feeds it;
# stopping `make run` (Ctrl-C) stops all three. HOST and PORT reach every process, so that
# links in emails and feeds point where the server listens (unless SITE_URL is set).
run: export HOST := $(HOST)
run: export PORT := $(PORT)
run: demo
	$(MANAGE) collectstatic --no-input --verbosity 0
	@$(MANAGE) check_address
	@trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(MANAGE) db_worker --no-startup-delay --verbosity 0 & \
	$(MANAGE) run_scheduler & \
	$(MANAGE) runserver $(HOST):$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy orangefriday
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m orangefriday.core.layers

test: lint
	$(BIN)/pytest

# Benchmarks on PostgreSQL (wrk and pgbench needed; see README, "Performance"). Each scale
# has its own database, generated once and reused while the scale stays the same.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orangefriday_bench
BENCH_QUICK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orangefriday_bench_quick

# The server measured serves its static files as in production (collected, via WhiteNoise).
bench: install
	$(MANAGE) collectstatic --no-input --verbosity 0
	DATABASE_URL=$(BENCH_DATABASE_URL) $(MANAGE) bench

bench-quick: install
	$(MANAGE) collectstatic --no-input --verbosity 0
	DATABASE_URL=$(BENCH_QUICK_DATABASE_URL) $(MANAGE) bench --quick

lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements.lock
	uv pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes -q -o requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles
