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

.PHONY: install index serve test lint typecheck security unit eval bench bench-quick bench-import bench-postgres bench-tagging clean

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

## Set up and run every check: lint, types, security, tests.
test: lint typecheck security unit

lint: install
	$(BIN)/ruff check src tests scripts bench

typecheck: install
	$(BIN)/mypy src bench

## bandit over the application (accepted findings are justified beside them), pip-audit over the
## installed packages (it asks PyPI's JSON API for each package's known vulnerabilities).
security: install
	$(BIN)/bandit -q -c pyproject.toml -r src
	$(BIN)/python scripts/audit_dependencies.py

unit: install
	$(BIN)/pytest

## Search and tagging quality on ../shared/eval (needs ../shared; tagging: dev and dev2).
eval: install
	$(BIN)/python scripts/evaluate_search.py
	$(BIN)/python scripts/evaluate_tagging.py --json var/eval/tagging.json

## Speed at archive scale against Datasette (×1, ×10, ×20 of ../shared/corpus; needs wrk),
## under the repeated query mix and under a stream of distinct queries (no cache helps).
## Writes var/bench/latest.json, report.md and chart.png. SIZES=1,10 picks sizes;
## BENCH_ARGS=--fresh rebuilds the cached archives (var/bench/xN), --rebuild-index the indexes.
## Then PostgreSQL search beside Whoosh at ×1 and ×10 (bench-postgres, below), and tag
## suggestion throughput (bench-tagging).
BENCH_VENV := var/bench/venv
SIZES ?= 1,10,20
BENCH_ARGS ?=
BENCH_SETUP = command -v wrk >/dev/null 2>&1 || { \
	  echo "make bench needs wrk (Debian's package): apt-get install -y wrk" >&2; exit 1; }; \
	test $(BENCH_VENV)/.installed-stamp -nt bench/requirements.txt || { \
	  $(PYTHON) -m venv $(BENCH_VENV) && \
	  $(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip && \
	  $(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements.txt && \
	  touch $(BENCH_VENV)/.installed-stamp; }

bench: install
	@$(BENCH_SETUP)
	$(BIN)/python -m bench.harness --sizes $(SIZES) --bench-venv $(BENCH_VENV) $(BENCH_ARGS)
	$(BIN)/python -m bench.postgres_web --sizes $(POSTGRES_SIZES) --bench-venv $(BENCH_VENV) $(POSTGRES_ARGS)
	$(BIN)/python -m bench.tagging

## Tag suggestion throughput in one process over every distinct paragraph of the shared
## corpora (target: 1,000 paragraphs/s); writes var/bench/tagging.json (about 30 s).
bench-tagging: install
	$(BIN)/python -m bench.tagging

## Import throughput per format, from the shared corpora (prints a table, writes var/bench/imports.json).
bench-import: install
	$(BIN)/python -m bench.imports

## PostgreSQL search (issue 13) beside Whoosh, ×1 and ×10 (needs wrk and Debian's PostgreSQL):
## the build, the search page under distinct queries on 1 and 2 Whoosh processes and on 2
## PostgreSQL ones (primary and replica), a new document found across servers, the replica's
## lag under an import. Writes var/bench/postgres.json and postgres.md (about 15 minutes).
## POSTGRES_SIZES=1 picks sizes; POSTGRES_ARGS=--quick runs shorter loads.
POSTGRES_SIZES ?= 1,10
POSTGRES_ARGS ?=

bench-postgres: install
	@$(BENCH_SETUP)
	$(BIN)/python -m bench.postgres_web --sizes $(POSTGRES_SIZES) --bench-venv $(BENCH_VENV) $(POSTGRES_ARGS)

## The ×1 size only, built afresh, shorter load runs, the distinct-query load included.
bench-quick: install
	@$(BENCH_SETUP)
	$(BIN)/python -m bench.harness --sizes 1 --quick --fresh --bench-venv $(BENCH_VENV) $(BENCH_ARGS)

clean:
	rm -rf $(VAR) .pytest_cache .mypy_cache .ruff_cache
