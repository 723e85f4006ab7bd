from pathlib import Path

import pytest

from tests.helpers import run_perseus


@pytest.fixture
def perseus():
    return run_perseus


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The documentation site, built once per test session."""
    from tests.site_harness import build_site

    return build_site(tmp_path_factory.mktemp("site") / "site")
