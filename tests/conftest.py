import os
from pathlib import Path

import pytest

from tests.helpers import generate_command, run_perseus, start_once, wait_for


@pytest.fixture
def perseus():
    return run_perseus


def _site_command(folder: Path):
    from tests.site_harness import site_build_command

    return site_build_command(folder)


# What a test run makes once and shares, by the fixture that returns it: (folder name, its command).
# Each is started in the background at the first test of each worker when any selected test needs
# it, so that it is made while other tests run, rather than holding up the worker that asks first
# (and any other that waits for it).
MADE_ONCE = {
    "built_site": ("site", _site_command),
    "fresh_generation": ("generated", lambda folder: generate_command(folder, hash_seed=0)),
    "generation_with_hash_seed_1": ("generated-seed-1", lambda folder: generate_command(folder, hash_seed=1)),
}


def _made_once(request, fixture: str) -> Path:
    worker_id = request.getfixturevalue("worker_id")
    name, command_for = MADE_ONCE[fixture]
    return wait_for(start_once(request.getfixturevalue("tmp_path_factory"), worker_id, name, command_for))


@pytest.fixture(scope="session", autouse=True)
def _start_what_is_made_once(request, tmp_path_factory, worker_id):
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    for fixture, (name, command_for) in MADE_ONCE.items():
        if fixture in needed:
            start_once(tmp_path_factory, worker_id, name, command_for)


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The documentation site (`mkdocs build --strict`), built once per test run."""
    return _made_once(request, "built_site")


@pytest.fixture(scope="session")
def fresh_generation(request) -> Path:
    """Every generated file as `perseus generate` writes it now (PYTHONHASHSEED=0), generated once per test run."""
    return _made_once(request, "fresh_generation")


@pytest.fixture(scope="session")
def generation_with_hash_seed_1(request) -> Path:
    """The same generation in an interpreter with PYTHONHASHSEED=1."""
    return _made_once(request, "generation_with_hash_seed_1")


@pytest.fixture(scope="session")
def impact_runner(tmp_path_factory):
    """perseus impact's reference portfolio, written once per test run; each variant's calculation kept."""
    from perseus.review.impact.compare import reference_runner

    return reference_runner(tmp_path_factory.mktemp("impact-reference"))


def _serving(built_site, search_documents: bool):
    if os.environ.get("PERSEUS_SKIP_BROWSER") == "1":
        pytest.skip("PERSEUS_SKIP_BROWSER=1")
    from tests.site_harness import serve

    base, server = serve(built_site, search_documents=search_documents)
    yield base
    server.shutdown()


@pytest.fixture(scope="session")
def served(built_site):
    """The built site served on loopback at its published path, for the browser tests."""
    yield from _serving(built_site, search_documents=True)


@pytest.fixture(scope="session")
def served_for_visits(built_site):
    """The built site served as `served` is, but with its search index emptied of documents: what the
    page-by-page visits load (tests/site_harness.py says why)."""
    yield from _serving(built_site, search_documents=False)


# The longest modules, longest first (wall seconds summed over their tests in one full run on 2 cores).
# pytest-xdist (--dist loadfile --no-loadscope-reorder) hands a module to whichever worker is free, in
# the order collected: starting the long ones first leaves the short ones to even out the end, instead
# of one long module running alone. The page examples come before the slightly longer test_site: their
# first test (the README's commands) needs no built site, while every test of test_site waits for it.
LONGEST_FIRST = (
    "test_page_examples.py",  # 97 s
    "test_site.py",  # 107 s, most of it the every-page visit
    "test_server_conformance.py",  # 60 s
    "test_site_layout.py",  # 40 s
    "test_governance_process.py",  # 32 s
    "test_sandbox_schemathesis.py",  # 18 s
    "test_governance.py",  # 16 s
    "test_sandbox.py",  # 12 s
    "test_bench.py",  # 10 s
    "test_examples.py",  # 10 s
    "test_portfolio.py",  # 10 s
)


def pytest_collection_modifyitems(session, config, items):
    """Long modules first, and in each module the tests that need no built site before those that do
    (the site is still being built in the background when the first ones start)."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(
        key=lambda item: (rank.get(item.path.name, len(rank)), "built_site" in getattr(item, "fixturenames", ()))
    )
