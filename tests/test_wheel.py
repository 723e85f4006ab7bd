"""The built wheel works on its own: installed in a fresh environment, away from the repository,
`perseus validate`, `perseus calculate` and `perseus sandbox` find the data the package carries.

Offline: the wheel is built with the build backend `make install` already fetched, and the fresh
environment gets the locked dependencies from uv's cache, which `make install` filled.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.calc_helpers import normalised
from tests.helpers import ROOT, once_per_run

pytestmark = pytest.mark.slow
UV = [sys.executable, "-m", "uv"]
CASE = ROOT / "tests" / "conformance" / "005-blended"


def uv(*args, **env) -> None:
    env = {**os.environ, "UV_COMPILE_BYTECODE": "0", **env}  # `make` exports 1: a minute of CPU for nothing
    done = subprocess.run([*UV, *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, f"uv {' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"


def install_wheel(scratch: Path) -> None:
    uv("build", "--wheel", "--offline", "--out-dir", scratch / "dist")
    [wheel] = (scratch / "dist").glob("perseus_spec-*.whl")
    environment = scratch / "venv"
    # The lock's runtime dependencies (no test extra), without the project itself: then the wheel.
    uv("sync", "--frozen", "--offline", "--no-install-project", "--quiet", UV_PROJECT_ENVIRONMENT=str(environment))
    uv("pip", "install", "--offline", "--no-deps", "--quiet", "--python", environment / "bin" / "python", wheel)


@pytest.fixture(scope="session")
def installed(tmp_path_factory, worker_id) -> Path:
    """The bin/ folder of a fresh environment with the wheel and the locked runtime dependencies."""
    return once_per_run(tmp_path_factory, worker_id, "wheel", install_wheel) / "venv" / "bin"


def run(bin_dir: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bin_dir / "perseus"), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


def test_the_installed_package_reads_its_own_data(installed, tmp_path):
    done = run(installed, "--version", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = Path(done.stdout.split("(data: ", 1)[1].split(")", 1)[0])
    assert data.parts[-3:] == ("site-packages", "perseus", "data") and "source checkout" not in done.stdout
    assert (data / "spec" / "perseus.yaml").is_file() and (data / "factors").is_dir()


def test_validate_from_the_wheel(installed, tmp_path):
    payload = shutil.copy(ROOT / "spec" / "examples" / "valid" / "MeterData-gas-cubic-metres.json", tmp_path)
    done = run(installed, "validate", payload, "--spec", "consumption-data@2025-10-27", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "valid MeterData" in done.stdout
    refused = run(installed, "validate", payload, "--spec", "consumption-data@2025-10-23", cwd=tmp_path)
    assert refused.returncode == 1, "the electricity-only release refuses gas"
    unknown = run(installed, "validate", payload, "--spec", "consumption-data@2020-01-01", cwd=tmp_path)
    assert unknown.returncode == 2 and "consumption-data@2025-10-27" in unknown.stderr, (
        "the error lists what is published"
    )


def test_calculate_from_the_wheel_gives_the_conformance_report(installed, tmp_path):
    case = shutil.copytree(CASE, tmp_path / "case")
    args = json.loads((case / "args.json").read_text())
    done = run(installed, "calculate", *args, cwd=case)
    assert done.returncode == 0, done.stderr
    assert normalised(json.loads(done.stdout)) == normalised(json.loads((case / "expected.json").read_text()))


def test_the_sandbox_from_the_wheel_serves_the_published_document(installed, tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(installed / "perseus"), "sandbox", "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        document = None
        deadline = time.monotonic() + 60
        while document is None and time.monotonic() < deadline and server.poll() is None:
            try:
                document = urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=2).read()
            except OSError:
                time.sleep(0.2)
        assert document == (ROOT / "generated" / "sandbox" / "openapi.json").read_bytes()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/datasources", headers={"Authorization": "Bearer sandbox-token-cap-full"}
        )
        assert json.loads(urllib.request.urlopen(request, timeout=10).read())["data"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_generate_refuses_to_write_into_the_installed_package(installed, tmp_path):
    done = run(installed, "generate", cwd=tmp_path)
    assert done.returncode == 2 and "source checkout" in done.stderr
