import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))  # tests/ helpers such as site_harness
PERSEUS = [sys.executable, "-m", "perseus.cli"]


def run_perseus(*args, cwd=ROOT, check=False, input=None):
    """Run the `perseus` command as a user would, in a subprocess."""
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [*PERSEUS, *map(str, args)], cwd=cwd, capture_output=True, text=True, check=check, env=env, input=input
    )


@pytest.fixture
def perseus():
    return run_perseus


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The documentation site, built once per test session."""
    from site_harness import build_site

    return build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="session")
def served(built_site):
    """The built site served on loopback at its published path, for the browser tests."""
    if os.environ.get("PERSEUS_SKIP_BROWSER") == "1":
        pytest.skip("PERSEUS_SKIP_BROWSER=1")
    from site_harness import serve

    base, server = serve(built_site)
    yield base
    server.shutdown()
