"""The runtime stands alone: validating, calculating and serving never load what builds the repository.

The import-linter contract in pyproject.toml checks every import statement, even those inside
functions; the subprocesses below check what real runs load, dynamic imports included.
"""

import json
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

CASE = ROOT / "tests" / "conformance" / "004-electricity-half-hourly-intensity"
BLENDED = ROOT / "tests" / "conformance" / "005-blended"  # electricity and gas MeterData, NESO intensity: all JSON
BUILD_TIME = (
    "linkml",
    "linkml_runtime",
    "perseus.generators",
    "perseus.site",
    "perseus.review",
    "perseus.spec_versions",
)

# Runs the code given in a fresh interpreter, then prints the build-time modules it loaded.
PROBE = """
import json, sys
build_time = tuple(json.loads(sys.argv[1]))
exec(sys.argv[2])
print(json.dumps(sorted(m for m in sys.modules if m in build_time or m.startswith(tuple(b + "." for b in build_time)))))
"""


def build_time_modules_loaded_by(code: str, cwd: Path = ROOT, modules: tuple[str, ...] = BUILD_TIME) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(modules), code],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def command(*args: str) -> str:
    return f"from perseus.cli import main; assert main({list(args)!r}) == 0"


def test_the_import_contract_holds():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    report = done.stdout[done.stdout.find("Contracts") :] + done.stderr  # without the banner
    assert done.returncode == 0, report
    assert "1 kept, 0 broken" in done.stdout, report


def test_calculate_loads_no_linkml_generator_site_or_review_code(tmp_path):
    report = tmp_path / "report.json"
    args = json.loads((CASE / "args.json").read_text())
    assert build_time_modules_loaded_by(command("calculate", *args, "--output", str(report)), cwd=CASE) == []
    assert json.loads(report.read_text())["data"], "the probe ran a real calculation"


def test_calculate_on_json_files_loads_neither_pandas_nor_pyarrow(tmp_path):
    """Their imports were two fifths of `perseus calculate` on a meter-year (benchmarks/bench_meter_year.py)."""
    report = tmp_path / "report.json"
    args = json.loads((BLENDED / "args.json").read_text())
    code = command("calculate", *args, "--output", str(report))
    assert build_time_modules_loaded_by(code, cwd=BLENDED, modules=("pandas", "pyarrow")) == []
    assert {e["type"] for e in json.loads(report.read_text())["data"]} == {"electricity", "gas"}


def test_portfolio_calculate_loads_no_build_time_code(tmp_path):
    from tests.portfolio_helpers import TAKEN_AT, small_portfolio

    portfolio = small_portfolio(tmp_path / "portfolio", meters=4, buckets=2)
    out = tmp_path / "reports.jsonl"
    code = command("calculate", "--portfolio", str(portfolio), "--taken-at", TAKEN_AT, "--output", str(out))
    assert build_time_modules_loaded_by(code) == []
    assert len(out.read_text().splitlines()) == 4, "the probe wrote every meter's report"


def test_portfolio_calculate_on_parquet_loads_no_pandas(tmp_path):
    """pyarrow imports pandas on its first conversion to or from numpy; the portfolio path goes through
    perseus.calculator.arrow_buffers instead (pandas was a third of a 100-meter run, benchmarks/bench_portfolio.py).
    The probe runs the kernel in forked workers (two buckets) and writes both outputs."""
    from tests.portfolio_helpers import TAKEN_AT, small_portfolio

    portfolio = small_portfolio(tmp_path / "portfolio", meters=4, buckets=2)
    runs = [
        command("calculate", "--portfolio", str(portfolio), "--taken-at", TAKEN_AT, "--output", str(tmp_path / name))
        for name in ("reports.jsonl", "entries.parquet")
    ]
    # a forked worker that imported pandas would not show in the parent's modules: the kernel runs here too
    kernel = (
        "from perseus.portfolio import calculate_portfolio, engines; from perseus.portfolio.layout import open_portfolio;"
        f"p = open_portfolio({str(portfolio)!r}); run = calculate_portfolio({str(portfolio)!r}, taken_at={TAKEN_AT!r});"
        "engines.partition_result(p.partitions[0], run.context)"
    )
    assert build_time_modules_loaded_by("; ".join([*runs, kernel]), modules=("pandas",)) == []
    assert len((tmp_path / "reports.jsonl").read_text().splitlines()) == 4, "the probe wrote every meter's report"
    assert (tmp_path / "entries.parquet").stat().st_size > 0


def test_verify_loads_no_build_time_code():
    report = ROOT / "spec" / "examples" / "valid" / "EmissionsReport-blended-signed.json"
    anchor = ROOT / "spec" / "examples" / "trust-anchors" / "sandbox-example-ca.pem"
    assert build_time_modules_loaded_by(command("verify", str(report), "--trust-anchor", str(anchor))) == []


def test_validate_loads_no_build_time_code():
    example = ROOT / "spec" / "examples" / "valid" / "MeterData-electricity.json"
    assert (
        build_time_modules_loaded_by(command("validate", str(example), "--spec", "consumption-data@2025-10-23")) == []
    )


def test_the_sandbox_app_loads_no_build_time_code():
    assert build_time_modules_loaded_by("from perseus.sandbox import create_app; create_app()") == []
