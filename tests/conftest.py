import os
from pathlib import Path

import pytest

from tests.helpers import generate_into, once_per_run, run_perseus


@pytest.fixture
def perseus():
    return run_perseus


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, worker_id) -> Path:
    """The documentation site, built once per test run."""
    from tests.site_harness import build_site

    return once_per_run(tmp_path_factory, worker_id, "site", build_site)


@pytest.fixture(scope="session")
def fresh_generation(tmp_path_factory, worker_id) -> Path:
    """Every generated file as `perseus generate` writes it now, generated once per test run."""
    return once_per_run(tmp_path_factory, worker_id, "generated", lambda folder: generate_into(folder, hash_seed=0))


@pytest.fixture(scope="session")
def served(built_site):
    """The built site served on loopback at its published path, for the browser tests."""
    if os.environ.get("PERSEUS_SKIP_BROWSER") == "1":
        pytest.skip("PERSEUS_SKIP_BROWSER=1")
    from tests.site_harness import serve

    base, server = serve(built_site)
    yield base
    server.shutdown()
