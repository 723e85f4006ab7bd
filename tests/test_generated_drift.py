"""Every generated file is committed and equals a fresh generation."""

from pathlib import Path

from perseus.generators.run import make_generated_files as generated_files, write_all
from perseus.paths import ROOT


def test_committed_files_equal_a_fresh_generation(tmp_path: Path):
    files = generated_files()
    write_all(tmp_path, files)
    stale = []
    for rel in files:
        fresh = (tmp_path / rel).read_text()
        committed = ROOT / rel
        if not committed.exists() or committed.read_text() != fresh:
            stale.append(rel)
    assert not stale, f"run `make generate` and commit: out of date: {stale}"


def test_no_generated_file_is_left_over():
    wanted = set(generated_files())
    present = {
        str(p.relative_to(ROOT)) for p in (ROOT / "generated").rglob("*") if p.is_file() and p.name != "README.md"
    }
    assert present - wanted == set(), "files under generated/ that no generator produces"


def test_generation_is_deterministic():
    assert generated_files() == generated_files()
