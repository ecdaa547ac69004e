# Zhaoshang: `make run` serves the demo, `make test` runs every check. Both install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck install messages clean bench

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	mkdir -p var
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo --if-empty
	PORT=$(PORT) scripts/run.sh

lint: $(STAMP)
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/mypy zhaoshang

# Types alone (mypy with django-stubs, also part of `make lint`; docs/decisions.md section 34).
typecheck: $(STAMP)
	DEBUG=1 $(BIN)/mypy zhaoshang

test: $(STAMP) lint
	scripts/install_chromium.sh
	scripts/install_office.sh
	DEBUG=1 $(BIN)/pytest -n $(TEST_WORKERS)

messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore '.venv/*'
	DEBUG=1 $(BIN)/python manage.py traditional_catalogue
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore '.venv/*'

# National-scale benchmark (issue 7, docs/performance.md): BENCH_PROJECTS=20000 by default; the
# generated PostgreSQL database is kept and reused by later runs.
bench: $(STAMP)
	scripts/bench.sh

clean:
	rm -rf $(VENV) var
