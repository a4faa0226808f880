# Testimony Archive: every set-up step is here, so that `make serve` and `make test` work
# on a fresh machine. Python packages come from PyPI, pinned by constraints.txt.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
ARCHIVE ?= archive
VAR ?= var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install index serve test lint typecheck unit eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## Build (or update) the search index of the sample archive.
index: install
	$(BIN)/testimony --archive $(ARCHIVE) --var $(VAR) index

## Set up, index the sample archive and serve it on http://$(HOST):$(PORT)
serve: index
	$(BIN)/testimony --archive $(ARCHIVE) --var $(VAR) serve --host $(HOST) --port $(PORT)

## Set up and run every check: lint, types, tests.
test: lint typecheck unit

lint: install
	$(BIN)/ruff check src tests scripts bench

typecheck: install
	$(BIN)/mypy src

unit: install
	$(BIN)/pytest

## Search quality on ../shared/eval (needs ../shared).
eval: install
	$(BIN)/python scripts/evaluate_search.py

## Speed and size: import, index build and search latency on ../shared/corpus.
bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VAR) .pytest_cache .mypy_cache .ruff_cache
