"""The site's benchmark figures come from benchmarks/results.json (`make bench RECORD=1`), its peer queries
from benchmarks/peers.py: neither is typed into the page."""

from __future__ import annotations

import inspect
import json

from perseus.paths import DOCS
from perseus.site.benchmarks import (
    MARKER,
    QUERIES_MARKER,
    RESULTS,
    benchmark_module,
    case_name,
    figures_markdown,
    queries_markdown,
)

SIZES = {(100, ("electricity",)), (1000, ("electricity",)), (5000, ("electricity",)), (5000, ("electricity", "gas"))}
LAYOUTS = {"generator", "user", "shuffled"}


def test_the_page_takes_its_figures_and_queries_from_the_benchmark():
    page = (DOCS / "scale.md").read_text()
    assert MARKER in page and QUERIES_MARKER in page
    prose = page.split("## Benchmark figures")[1].split(QUERIES_MARKER)[0]
    assert "×" not in prose and "SELECT" not in prose and "scan_parquet" not in prose


def test_the_queries_shown_are_the_ones_the_benchmark_runs():
    peers = benchmark_module("peers")
    shown = queries_markdown()
    for text in (peers.DUCKDB_ELECTRICITY, peers.DUCKDB_GAS, inspect.getsource(peers.polars_plan).rstrip()):
        assert text in shown


def test_every_size_and_layout_is_recorded_rendered_and_agreed():
    results = json.loads(RESULTS.read_text())
    rendered = figures_markdown()
    cases = results["portfolio"]["cases"]
    assert {(c["meters"], tuple(c["types"]), c["layout"]) for c in cases} == {
        (m, t, x) for m, t in SIZES for x in LAYOUTS
    }
    for case in cases:
        assert f"| {case_name(case)} |" in rendered and f"{case['readings']:,} readings" in rendered
        for ratio in case["ratios"].values():
            assert f"{ratio['median']:.2f}×" in rendered
        assert case["agreement"] and all(a["agree"] for a in case["agreement"].values())
        assert case["rounds"] >= 2 and set(case["engines"]) >= {"perseus", "duckdb", "polars"}
    for heading in ("### One meter-year", "### Building reports", "### Other hot paths"):
        assert heading in rendered
    assert [s["meters"] for s in results["reports"]["sizes"]] == [1000, 10000, 100000]
    for name in ("validate", "generate", "site"):
        assert f"| {name} |" in rendered


def test_without_results_the_page_says_how_to_make_them(tmp_path):
    assert "make bench RECORD=1" in figures_markdown(tmp_path / "absent.json")


def test_the_impact_timing_is_shown_beside_one_calculation(tmp_path):
    results = json.loads(RESULTS.read_text())
    impact = {
        "old": "a@2025-01-01",
        "new": "b@2025-01-01",
        "impact_seconds": 12.34,
        "calculation_seconds": 5.67,
        "meters": 48,
        "readings": 1684224,
        "target_seconds": 30,
        "load_average": 1.0,
        "measured": "2026-01-01T00:00:00Z",
        "machine": "x86_64, 2 CPUs",
    }
    path = tmp_path / "results.json"
    path.write_text(json.dumps({**results, "impact": impact}))
    rendered = figures_markdown(path)
    assert "`perseus impact a@2025-01-01 b@2025-01-01`" in rendered and "| 12.34 | under 30 s |" in rendered
    assert "| one perseus calculate --portfolio | 5.67 |" in rendered
