# Orange Friday: `make run` serves the demo community, `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-dev browser-tools migrate demo lint test test-fast lock clean bench bench-quick messages

# The stamp files make the install re-run only when a lock file changes.
$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

# The translations, compiled from the committed .po files by polib (no GNU gettext needed):
# orangefriday/core/catalogue.py says why the .mo files are not committed.
CATALOGUES := $(wildcard locale/*/LC_MESSAGES/*.po)
%.mo: %.po $(VENV)/.installed
	$(MANAGE) messages --compile-only

install: $(VENV)/.installed $(CATALOGUES:.po=.mo)

install-dev: install $(VENV)/.installed-dev

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

# What the browser tests inject into pages, from the npm registry, pinned by package-lock.json
# (axe-core for the accessibility checks). Without npm those checks are skipped, saying so
# (CI installs npm and requires them).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm is missing (apt-get install npm): the accessibility checks will be skipped"; fi

browser-tools: node_modules/.installed

test: lint browser-tools
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

# After adding or changing a string the fan sees: regenerate the catalogues from the code
# (GNU gettext's xgettext and msgmerge: `apt-get install gettext`), translate the new empty
# entries in locale/zh_Hans/LC_MESSAGES/django.po, then run it again to compile.
messages: install
	$(MANAGE) messages

lock:
	uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements.lock
	uv pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes -q -o requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles node_modules
