"""The `perseus` command itself: its version and where it reads its data from."""

import tomllib

from tests.helpers import ROOT


def test_version_is_the_projects_and_names_the_checkout(perseus):
    done = perseus("--version")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert done.returncode == 0
    assert done.stdout == f"perseus {version} (data: {ROOT}, a source checkout)\n"
