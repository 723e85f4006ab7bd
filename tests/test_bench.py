"""The portfolio benchmark: its harness runs end to end, and its peer queries compute what perseus computes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from perseus.portfolio import calculate_portfolio
from perseus.site.benchmarks import BENCHMARKS, benchmark_module
from tests.portfolio_helpers import TAKEN_AT, small_portfolio

TYPES = ["electricity", "gas"]
peers = benchmark_module("peers")
datasets = benchmark_module("datasets")


@pytest.fixture(scope="module")
def layouts(tmp_path_factory):
    """The small test portfolio (December and January: two factor sets) as generated, and as a user writes it, shuffled."""
    root = tmp_path_factory.mktemp("layouts")
    generator = small_portfolio(root / "generator", meters=12, buckets=3)
    datasets._rewrite(generator, root / "shuffled", shuffle=True)
    entries = root / "entries.parquet"
    calculate_portfolio(generator, taken_at=TAKEN_AT).write(entries)
    return {"generator": generator, "shuffled": root / "shuffled", "entries": entries}


@pytest.mark.parametrize("engine", sorted(peers.PEERS))
@pytest.mark.parametrize("layout", ["generator", "shuffled"])
def test_each_peer_gives_our_monthly_totals(layouts, tmp_path, engine, layout):
    out = tmp_path / f"{engine}.parquet"
    peers.PEERS[engine](str(layouts[layout]), str(out), peers.constants(TYPES))
    found = peers.agreement(layouts["entries"], out)
    assert found["agree"], found
    assert found["rows"] == 12 * 2 * 2  # meters × types × months, every one compared


def test_a_wrong_query_is_caught(layouts, tmp_path, monkeypatch):
    """Watt hours left unconverted (every tenth meter reports WHR): the sums differ and the check says so."""
    wrong = peers.DUCKDB_ELECTRICITY.replace("WHEN 'WHR' THEN value / 1000", "WHEN 'WHR' THEN value")
    assert wrong != peers.DUCKDB_ELECTRICITY
    monkeypatch.setattr(peers, "DUCKDB_ELECTRICITY", wrong)
    out = tmp_path / "duckdb.parquet"
    peers.run_duckdb(str(layouts["generator"]), str(out), peers.constants(TYPES))
    found = peers.agreement(layouts["entries"], out)
    assert not found["agree"] and found["max_relative_difference"] > 0.99  # ours ÷ theirs = 1/1000


def test_a_wrong_constant_is_caught(layouts, tmp_path):
    constants = peers.constants(TYPES)
    constants["parameters"]["volume_correction"] = 1.0  # gas in m³ without the correction to standard conditions
    out = tmp_path / "polars.parquet"
    peers.run_polars(str(layouts["generator"]), str(out), constants)
    found = peers.agreement(layouts["entries"], out)
    assert not found["agree"] and 0.01 < found["max_relative_difference"] < 0.03


@pytest.mark.slow
def test_the_harness_runs_end_to_end_and_leaves_the_tracked_figures_alone(tmp_path):
    tracked = BENCHMARKS / "results.json"
    before = tracked.read_bytes()
    done = subprocess.run(
        [
            sys.executable,
            str(BENCHMARKS / "bench_portfolio.py"),
            "--sizes",
            "10+gas",
            "--layouts",
            "generator,shuffled",
            "--rounds",
            "1",
            "--cache",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("totals agree with ours") == 4  # two peers, two layouts
    assert "ratio peer ÷ ours" in done.stdout
    cases = json.loads((tmp_path / "results.json").read_text())["portfolio"]["cases"]
    assert [(c["layout"], c["meters"], c["types"]) for c in cases] == [
        ("generator", 10, TYPES),
        ("shuffled", 10, TYPES),
    ]
    for case in cases:
        assert set(case["engines"]) == {"perseus", "duckdb", "polars"} and set(case["ratios"]) == {"duckdb", "polars"}
        assert all(e["wall"]["min"] > 0 and e["cpu"]["median"] > 0 for e in case["engines"].values())
    assert tracked.read_bytes() == before
