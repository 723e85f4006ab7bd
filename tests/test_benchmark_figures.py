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
