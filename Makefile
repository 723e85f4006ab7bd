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

bench: install
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_sandbox.py

clean:
	rm -rf site .pytest_cache .hypothesis
