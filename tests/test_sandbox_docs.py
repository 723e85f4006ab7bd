"""The examples of docs/sandbox.md run against a running sandbox and answer what the page says."""

from __future__ import annotations

import re
import shutil
import subprocess
from urllib.parse import urlparse

import pytest

from perseus.paths import DOCS, ROOT
from perseus.sandbox import SandboxConfig
from perseus.sandbox.problems import CODES
from perseus.sandbox.server import RunningSandbox
from perseus.site.sandbox import MARKERS, render
from tests.sandbox_checks import check_response

PAGE = (DOCS / "sandbox.md").read_text()
BLOCKS = re.findall(r"```sh\n(.*?)```", PAGE, flags=re.S)
PLAIN = [b for b in BLOCKS if "curl" in b and "http://127.0.0.1:8080" in b and re.match(r"# \d{3}", b)]
SCRIPTS = [b for b in BLOCKS if "curl" in b and "http://127.0.0.1:8080" in b and not re.match(r"# \d{3}", b)]
TLS = [b for b in BLOCKS if "curl" in b and "https://127.0.0.1:8080" in b]
TEMPLATES = [
    (re.compile(r"^/datasources$"), "/datasources"),
    (re.compile(r"^/datasources/[^/]+/[^/]+$"), "/datasources/{id}/{measure}"),
    (re.compile(r"^/emissions$"), "/emissions"),
    (re.compile(r"^/heartbeat$"), "/heartbeat"),
]

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="the page's examples use curl")


def run(block: str, base: str, cwd=None) -> tuple[int, dict, bytes]:
    command = block.replace("https://127.0.0.1:8080", base).replace("http://127.0.0.1:8080", base)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", command], capture_output=True, cwd=cwd, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    head, _, body = result.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def test_every_marker_is_rendered_and_the_page_has_examples():
    assert len(PLAIN) >= 8 and len(TLS) == 1
    rendered = render(PAGE)
    assert "<!--" not in rendered, [m for m in MARKERS if m in rendered]


@pytest.fixture(scope="module")
def sandbox():
    with RunningSandbox(SandboxConfig(port=0)) as running:
        yield running


@pytest.mark.parametrize("block", PLAIN, ids=[b.splitlines()[0][2:40] for b in PLAIN])
def test_each_example_answers_as_the_page_says(sandbox, block):
    expected = re.match(r"# (\d{3})(?: ([a-z-]+))?", block)
    assert expected, "each example opens with a comment naming the status it answers"
    status, headers, body = run(block, sandbox.url)
    assert status == int(expected.group(1))
    url = urlparse(re.search(r'"(http://[^"]+)"', block).group(1))
    prefix = re.match(r"^/([a-z-]+@\d{4}-\d{2}-\d{2})(/.*)$", url.path)  # a release prefix picks the document
    ref, path = (prefix.group(1), prefix.group(2)) if prefix else (None, url.path)
    template = next(t for pattern, t in TEMPLATES if pattern.match(path))
    payload = check_response(template, status, headers, body, ref=ref)
    if expected.group(2) in CODES:
        assert payload["code"] == expected.group(2), payload


def test_the_verification_example_verifies(sandbox, tmp_path):
    (block,) = SCRIPTS
    command = block.replace("http://127.0.0.1:8080", sandbox.url).replace(
        ".venv/bin/perseus", str(ROOT / ".venv" / "bin" / "perseus")
    )
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command], capture_output=True, cwd=tmp_path, timeout=120, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "report.json: valid against sandbox-ca.pem" in result.stdout


@pytest.mark.slow
def test_the_mutual_tls_example(tmp_path):
    with RunningSandbox(SandboxConfig(port=0, tls=True, tls_dir=tmp_path / ".perseus-sandbox-tls")) as running:
        (block,) = TLS
        status, headers, body = run(block.replace("curl ", "curl -si ", 1), running.url, cwd=tmp_path)
    payload = check_response("/datasources", status, headers, body)
    assert status == 200 and len(payload["data"]) == 2
