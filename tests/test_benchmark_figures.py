"""The site's benchmark figures come from benchmarks/results.json, which `make bench` writes."""

from __future__ import annotations

import json

from perseus.paths import DOCS
from perseus.site.benchmarks import MARKER, RESULTS, figures_markdown


def test_the_page_takes_its_figures_from_the_results_file():
    page = (DOCS / "scale.md").read_text()
    assert MARKER in page
    assert "M readings/s" not in page and "×" not in page.split(MARKER)[0].split("## Benchmark figures")[1]


def test_every_recorded_size_is_rendered_and_agreed():
    results = json.loads(RESULTS.read_text())
    rendered = figures_markdown()
    sizes = results["portfolio"]["sizes"]
    assert [s["meters"] for s in sizes] == sorted(s["meters"] for s in sizes) and len(sizes) >= 3
    for size in sizes:
        assert f"| {size['meters']:,} | {size['readings']:,} |" in rendered
        assert f"{size['ratio']:.2f}×" in rendered
        assert size["agreement"]["max_relative_difference"] <= 1e-9 and size["agreement"]["unmatched"] == 0
    for name in ("validate", "generate", "site"):
        assert f"| {name} |" in rendered


def test_without_results_the_page_says_how_to_make_them(tmp_path):
    assert "make bench" in figures_markdown(tmp_path / "absent.json")


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
