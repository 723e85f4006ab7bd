# The few targets everybody needs. Each installs the environment first when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(PYTHON) -m uv
export UV_COMPILE_BYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: install test generate site demo bench clean

$(BIN)/perseus: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	@$(UV) sync --frozen --extra test --quiet
	@touch $@

install: $(BIN)/perseus

generate: install
	$(BIN)/perseus generate

site: generate
	$(BIN)/mkdocs build --strict

test: install
	$(BIN)/python -m pytest

# Figures for people, not a timed test (not run in CI); about 5-10 minutes on 2 cores.
# Synthetic portfolios are cached under .bench/; figures go to benchmarks/results.json.
bench: install
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_portfolio.py
	$(BIN)/python benchmarks/bench_paths.py

clean:
	rm -rf site .pytest_cache .hypothesis
