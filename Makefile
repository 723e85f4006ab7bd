# The few targets everybody needs. Each installs the environment first when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(PYTHON) -m uv
export UV_COMPILE_BYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: install test generate site demo bench clean

$(BIN)/perseus: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	@$(UV) sync --frozen --extra test --quiet
	@touch $@

install: $(BIN)/perseus

generate: install
	$(BIN)/perseus generate

site: generate
	$(BIN)/mkdocs build --strict

test: install
	$(BIN)/python -m pytest

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

# Figures for people, not a timed test (not run in CI); about 5-10 minutes on 2 cores.
# Synthetic portfolios are cached under .bench/; figures go to benchmarks/results.json.
bench: install
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_portfolio.py
	$(BIN)/python benchmarks/bench_paths.py
	$(BIN)/python benchmarks/bench_site.py

clean:
	rm -rf site .pytest_cache .hypothesis .cache
