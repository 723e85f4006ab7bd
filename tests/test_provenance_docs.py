"""The shell examples of docs/provenance.md run as written, in order, and end in a verified report."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from perseus.paths import DOCS

BLOCKS = re.findall(r"```sh\n(.*?)```", (DOCS / "provenance.md").read_text(), flags=re.S)


def test_the_page_shows_keys_calculate_sign_and_verify():
    text = "\n".join(BLOCKS)
    for command in ("perseus keys", "perseus calculate", "--sign", "perseus verify"):
        assert command in text


@pytest.mark.slow
def test_the_examples_run_in_order(perseus, tmp_path):
    made = perseus("synth", "--archetype", "office", "--from", "2025-03-01", "--to", "2025-04-01", "--type",
                   "electricity", "--output", tmp_path / "out", "--intensity-output", tmp_path / "intensity.json")
    assert made.returncode == 0, made.stderr
    (meter,) = (tmp_path / "out").glob("*.json")
    meter.rename(tmp_path / "meter.json")
    perseus_bin = str(Path(sys.executable).with_name("perseus"))
    for block in BLOCKS:
        command = block.replace(".venv/bin/perseus", perseus_bin)
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=tmp_path, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, (block, result.stdout[-2000:], result.stderr[-2000:])
    assert "valid against keys/sandbox-ca.pem" in result.stdout
