"""Every conformance case, run through `perseus calculate`, gives exactly its expected report."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from perseus.validation import load_release_schema, validate_payload
from tests.calc_helpers import normalised, run_calculate

CASES = sorted(p for p in (Path(__file__).parent / "conformance").iterdir() if p.is_dir())


def test_the_issue_asks_for_these_cases():
    names = " ".join(p.name for p in CASES)
    for topic in (
        "gas-cubic-metres",
        "gas-kilowatt-hours",
        "watt-hours",
        "half-hourly-intensity",
        "blended",
        "december-january",
        "missing-factor-set",
        "leap-day",
        "clock-change",
        "incomplete-month",
        "duplicate-readings",
    ):
        assert topic in names


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_case(case: Path, tmp_path, capsys, monkeypatch):
    assert (case / "README.md").read_text().strip(), "every case explains its arithmetic"
    args = json.loads((case / "args.json").read_text())
    output = tmp_path / "report.json"
    monkeypatch.chdir(case)
    code, _, err = run_calculate([*args, "--output", str(output)], capsys)
    assert code == 0, err
    produced = json.loads(output.read_text())
    expected = json.loads((case / "expected.json").read_text())
    assert validate_payload(load_release_schema("emissions-data@2025-10-27"), "EmissionsReport", expected) == []
    assert normalised(produced) == normalised(expected)
    assert not [p for p in os.listdir(tmp_path) if p != "report.json"], "no temporary file is left behind"


def test_the_installed_command_writes_to_stdout_and_the_report_validates(tmp_path):
    """End to end in a separate process, as a user runs it; `perseus validate` accepts the result."""
    import subprocess
    import sys

    case = Path(__file__).parent / "conformance" / "005-blended"
    args = json.loads((case / "args.json").read_text())
    command = [sys.executable, "-m", "perseus.cli", "calculate", *args]
    done = subprocess.run(command, cwd=case, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    report = tmp_path / "report.json"
    report.write_text(done.stdout)
    assert normalised(json.loads(done.stdout)) == normalised(json.loads((case / "expected.json").read_text()))
    checked = subprocess.run(
        [sys.executable, "-m", "perseus.cli", "validate", str(report), "--spec", "emissions-data@2025-10-27"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
