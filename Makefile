# The few targets everybody needs. Each installs the environment first when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(PYTHON) -m uv
export UV_COMPILE_BYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: install test test-fast lint test-packages generate site demo bench clean

$(BIN)/perseus: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --frozen --extra test --quiet
# uv compiles the dependencies only; where PYTHONDONTWRITEBYTECODE is set, every command would
# compile perseus's own modules anew (55 modules, about 0.1 s of CPU for `perseus calculate` on one meter-year)
	@$(BIN)/python -m compileall -q src
	@touch $@

install: $(BIN)/perseus

generate: install
	$(BIN)/perseus generate

site: generate
	$(BIN)/mkdocs build --strict

# Every test, on every core (pytest-xdist; a module runs in one worker, the longest first, and the
# built site, the generation and the wheel are made once per run), with the 20 slowest printed. test-fast leaves
# out the browser and slow tests. Both first run the static checks (`make lint`) and hold the
# governance records to their rules: either failing fails the run before the tests start.
# --no-loadscope-reorder keeps the modules in the order tests/conftest.py gives them (longest first);
# without it pytest-xdist hands them out by number of tests.
PYTEST := $(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder
test: install test-packages lint
	$(BIN)/perseus governance check
	$(PYTEST) --durations=20

test-fast: install lint
	$(BIN)/perseus governance check
	$(PYTEST) -m "not slow and not browser"

# Debian packages the tests drive: chromium-headless-shell for the site's browser tests, curl for the sandbox
# page's examples. Installed when missing if we are root on Debian (CI, a fresh machine).
test-packages:
	@missing=""; \
	[ -x "$${PERSEUS_CHROMIUM:-/usr/bin/chromium-headless-shell}" ] || missing="$$missing chromium-headless-shell"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing Debian packages:$$missing"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "make test needs the Debian packages$$missing: install them (sudo apt-get install$$missing)" >&2; \
			echo "and run make test again (PERSEUS_CHROMIUM=/path/to/chromium uses another Chromium build)," >&2; \
			echo "or run make test-fast, which leaves out the tests that need them" >&2; \
			exit 1; \
		fi; \
	fi

# Static checks, each run even when one before it fails: ruff (lint, format), mypy, the runtime's
# import contract (also a test) and linkml-lint on the root schema (it imports every module; the
# levels in .linkmllint.yaml decide what fails: its errors do, its warnings are printed).
LINTED := src tests benchmarks
lint: install
	@status=0; \
	echo "--- ruff check"; $(BIN)/ruff check $(LINTED) || status=1; \
	echo "--- ruff format --check"; $(BIN)/ruff format --check $(LINTED) || status=1; \
	echo "--- mypy"; $(BIN)/mypy || status=1; \
	echo "--- lint-imports"; $(BIN)/lint-imports || status=1; \
	echo "--- linkml-lint"; $(BIN)/linkml-lint --config .linkmllint.yaml --ignore-warnings spec/perseus.yaml || status=1; \
	exit $$status

# Quickstart on bundled defaults, no network: a synthetic year for a sample café,
# its blended electricity and gas report, validated, as a month-by-month table.
DEMO := build/demo
demo: install
	rm -rf $(DEMO)
	$(BIN)/perseus synth --archetype cafe --from 2025-01-01 --to 2026-01-01 --seed 7 --gas-unit MTQ \
		--outcode RG10 --region-id 12 --output $(DEMO)/consumption --intensity-output $(DEMO)/intensity.json
	$(BIN)/perseus calculate --consumption $(DEMO)/consumption/*.json --intensity $(DEMO)/intensity.json \
		--output $(DEMO)/report.json
	$(BIN)/perseus validate $(DEMO)/report.json --spec emissions-data@2025-10-27
	$(BIN)/python -m perseus.calculator.summary $(DEMO)/report.json

# Figures for people, not a timed test (not run in CI). Whole commands in fresh processes, engines
# alternated; about an hour on 2 idle cores the first time (portfolios are written once, cached under
# .bench/). `make bench QUICK=1`: fewer sizes and rounds, a few minutes. Figures go to .bench/results.json;
# `make bench RECORD=1` writes the tracked benchmarks/results.json instead (the site shows it).
BENCH_RECORD = $(if $(RECORD),--record)
QUICK_REPORT_SIZES := 1000,10000
bench: install
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_sandbox.py $(BENCH_RECORD)
	$(BIN)/python benchmarks/bench_portfolio.py $(BENCH_RECORD) $(if $(QUICK),--quick)
	$(BIN)/python benchmarks/bench_meter_year.py $(BENCH_RECORD) $(if $(QUICK),--rounds 3)
	$(BIN)/python benchmarks/bench_reports.py $(BENCH_RECORD) $(if $(QUICK),--sizes $(QUICK_REPORT_SIZES))
	$(BIN)/python benchmarks/bench_paths.py $(BENCH_RECORD)
	$(BIN)/python benchmarks/bench_site.py $(BENCH_RECORD) $(if $(QUICK),--repeat 1)
	$(BIN)/python benchmarks/bench_impact.py $(BENCH_RECORD)

clean:
	rm -rf site .pytest_cache .hypothesis .mypy_cache .ruff_cache .import_linter_cache .cache
