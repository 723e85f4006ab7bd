"""The shell examples of docs/provenance.md and the README's signing section run as written, in order,
and end in a verified report."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from perseus.paths import DOCS, ROOT

BLOCKS = re.findall(r"```sh\n(.*?)```", (DOCS / "provenance.md").read_text(), flags=re.S)
README_SIGNING = (ROOT / "README.md").read_text().split("## Signed provenance", 1)[1].split("\n## ", 1)[0]


def run_block(block: str, cwd: Path):
    command = block.replace(".venv/bin/perseus", str(Path(sys.executable).with_name("perseus")))
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_the_page_shows_keys_calculate_sign_and_verify():
    text = "\n".join(BLOCKS)
    for command in ("perseus keys", "perseus calculate", "--sign", "perseus verify"):
        assert command in text


@pytest.mark.slow
def test_the_examples_run_in_order(tmp_path):
    """Nothing is prepared beforehand: the page makes its own inputs (tests/test_page_examples.py runs the
    Python example too, from the built page)."""
    for block in BLOCKS:
        result = run_block(block, tmp_path)
        assert result.returncode == 0, (block, result.stdout[-2000:], result.stderr[-2000:])
    assert "valid against keys/sandbox-ca.pem" in result.stdout
    assert (tmp_path / "unsigned-report.json").exists()  # --trust-anchor alone accepted the synthetic input


def test_the_readme_signing_example_runs_as_written(tmp_path):
    (block,) = re.findall(r"```sh\n(.*?)```", README_SIGNING, flags=re.S)
    result = run_block(block, tmp_path)
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-2000:])
    assert "report.json: valid against keys/sandbox-ca.pem" in result.stdout
