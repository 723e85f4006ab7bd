"""The README starts with the two commands, and both are real Makefile targets."""

import re

import pytest

from perseus.paths import ROOT


def test_readme_opens_with_two_make_commands_that_exist():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh", 1)[1].split("```", 1)[0]
    commands = re.findall(r"^make (\w+)", first_block, flags=re.M)
    assert len(commands) == 2 and "test" in commands
    targets = set(re.findall(r"^([a-z-]+):", (ROOT / "Makefile").read_text(), flags=re.M))
    assert set(commands) <= targets
    assert readme.index("```sh") < 120, "the commands come first"


@pytest.mark.slow
def test_make_demo_prints_the_month_by_month_table():
    import subprocess

    result = subprocess.run(["make", "-s", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if re.match(r"^2025-\d\d  (electricity|gas) ", line)]
    assert len(lines) == 24  # twelve months, two energy types
    assert "valid EmissionsReport (emissions-data@2025-10-27)" in result.stdout
    assert "SYNTHETIC" in result.stdout
