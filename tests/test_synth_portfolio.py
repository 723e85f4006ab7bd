"""`perseus synth --format portfolio` writes a directory that `perseus calculate --portfolio` reads."""

import json

import pyarrow.parquet as pq


def test_a_portfolio_is_written_and_calculated(perseus, tmp_path):
    made = perseus(
        "synth",
        "--format",
        "portfolio",
        "--meters",
        "3",
        "--from",
        "2025-06-01",
        "--to",
        "2025-07-01",
        "--output",
        tmp_path / "PORTFOLIO",
    )
    assert made.returncode == 0, made.stderr
    assert "SYNTHETIC" in made.stderr
    meters = pq.read_table(tmp_path / "PORTFOLIO" / "meters.parquet")
    assert meters.num_rows == 6 and b"SYNTHETIC" in meters.schema.metadata[b"perseus:synthetic"]
    assert sorted(p.name for p in (tmp_path / "PORTFOLIO" / "readings").iterdir()) == ["type=electricity", "type=gas"]
    result = perseus("calculate", "--portfolio", tmp_path / "PORTFOLIO", "--output", tmp_path / "reports.jsonl")
    assert result.returncode == 0, result.stderr
    reports = [json.loads(line) for line in (tmp_path / "reports.jsonl").read_text().splitlines()]
    assert len(reports) == 3 and all(r["data"] for r in reports)


def test_the_same_seed_writes_the_same_files(perseus, tmp_path):
    for name in ("a", "b"):
        assert (
            perseus(
                "synth",
                "--format",
                "portfolio",
                "--meters",
                "2",
                "--from",
                "2025-06-01",
                "--to",
                "2025-06-03",
                "--output",
                tmp_path / name,
            ).returncode
            == 0
        )
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert files and all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


def test_bad_options_exit_2_and_write_nothing(perseus, tmp_path):
    (tmp_path / "taken").mkdir()
    for args, message in (
        (["--output", tmp_path / "taken"], "exists"),
        ([], "needs --output"),
        (["--output", tmp_path / "x", "--from", "2025-06-01T00:00:00"], "no time zone"),
        (["--output", tmp_path / "x", "--meters", "0"], "at least 1"),
    ):
        result = perseus("synth", "--format", "portfolio", *args)
        assert result.returncode == 2 and message in result.stderr, (args, result.stderr)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_type_leaves_the_other_energy_type_out(perseus, tmp_path):
    made = perseus("synth", "--format", "portfolio", "--meters", "3", "--type", "electricity", "--from", "2025-06-01",
                   "--to", "2025-06-03", "--output", tmp_path / "P")  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "electricity, " in made.stderr
    assert pq.read_table(tmp_path / "P" / "meters.parquet").column("type").to_pylist() == ["electricity"] * 3
    assert [p.name for p in (tmp_path / "P" / "readings").iterdir()] == ["type=electricity"]
