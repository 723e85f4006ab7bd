"""Every shell and Python example on every page runs as the page shows it, in order, from a fresh folder.

One test per page. The examples are read from the built site (what a reader sees and
copies) and, for the README, from its Markdown (what GitHub shows).
"""

import pytest

from perseus.paths import ROOT
from perseus.site.conformance import synopsis
from tests.page_examples import examples_in_html, examples_in_markdown, run_all

# Pages with examples, by their path in the site. A page that gains examples must be added here.
PAGES = [
    "index.html",
    "guide/index.html",
    "sandbox/index.html",
    "provenance/index.html",
    "scale/index.html",
    "conformance/index.html",
]
# Blocks that are not run, and why. Each must still be on its page, so that this list cannot go stale.
NOT_RUN = {
    "make site   # set up, regenerate generated/ from the sources, and build the documentation site into site/\n"
    "make test   # set up, then run every test\n": "the two commands the tests themselves are run by",
    synopsis()
    + "\n": "the conformance command's synopsis: URL and DATE are to be filled in; the page's run below does",
    "make bench              # everything; the first run writes the portfolios (cached under .bench/)\n"
    "make bench QUICK=1      # 100 and 1,000 meters, 2 rounds, fewer report sizes\n"
    "make bench RECORD=1     # also write benchmarks/results.json, the figures below\n"
    ".venv/bin/python benchmarks/bench_portfolio.py --sizes 1000 --layouts shuffled --rounds 5 --dask\n": "the "
    "benchmarks take minutes to an hour; the block before it runs the harness on 10 meters, and "
    "tests/test_bench.py runs it end to end",
}
# Pages whose blocks are templates to fill in, not examples, and the test that runs them with real values.
TEMPLATES = {
    "governance/process/index.html": "tests/test_governance_process.py runs the process end to end with a "
    "new release, a vote, a key and a certificate of its own",
}


def _runnable(examples):
    return [e for e in examples if e.code not in NOT_RUN]


def test_the_list_of_pages_with_examples_is_complete(built_site):
    found = sorted(
        p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html") if examples_in_html(p.read_text())
    )
    assert found == sorted(PAGES + list(TEMPLATES))
    assert all((ROOT / reason.split()[0]).is_file() for reason in TEMPLATES.values())


def test_every_block_left_out_is_still_shown(built_site):
    shown = {e.code for page in PAGES for e in examples_in_html((built_site / page).read_text())}
    shown |= {e.code for e in examples_in_markdown((ROOT / "README.md").read_text())}
    assert set(NOT_RUN) <= shown


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_the_examples_of_the_page_run_as_shown(built_site, tmp_path, page):
    examples = _runnable(examples_in_html((built_site / page).read_text()))
    assert examples or page == "index.html", f"{page} shows no example to run"
    run_all(examples, tmp_path / "fresh")


@pytest.mark.slow
def test_the_examples_of_the_readme_run_as_shown(tmp_path):
    examples = _runnable(examples_in_markdown((ROOT / "README.md").read_text()))
    assert len(examples) >= 4
    run_all(examples, tmp_path / "fresh")


def test_an_example_that_needs_an_unshown_step_fails_its_page(tmp_path):
    """The fault the provenance page had: `calculate` on inputs that only a hidden `synth` step made."""
    page = (
        "```sh\n.venv/bin/perseus calculate --consumption meter.json --intensity intensity.json"
        " --output report.json\n```\n"
    )
    with pytest.raises(AssertionError, match=r"(?s)exit [12]:.*meter\.json"):
        run_all(examples_in_markdown(page), tmp_path / "fresh")


def test_examples_run_in_order_in_one_folder(tmp_path):
    page = "```sh\necho made > made.txt\n```\n\n```python\nassert open('made.txt').read() == 'made\\n'\n```\n"
    run = run_all(examples_in_markdown(page), tmp_path / "fresh")
    assert [result.returncode for _, result in run.results] == [0, 0]
