"""The API reference pages, run against the running sandbox: every documented state can be produced, and
each response has the shape of the example the page shows for it."""

import json
import re
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest

from perseus import models
from perseus.sandbox import SandboxConfig
from perseus.sandbox.served import newest_releases
from perseus.sandbox.server import RunningSandbox
from tests.sandbox_checks import check_response
from tests.site_checks import json_examples

TOKEN = "sandbox-token-cap-full"
REAL = {"id": "synthetic-workshop-001-gas", "measure": "import"}
QUERY = "?from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z"


@pytest.fixture(scope="module")
def sandbox():
    with RunningSandbox(SandboxConfig(port=0)) as running:
        yield running


def _get(url: str, scenario: str | None = None):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if scenario:
        headers["X-Perseus-Scenario"] = scenario
    try:
        with urlopen(Request(url, headers=headers), timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _url(base: str, path: str) -> str:
    concrete = path.replace("{id}", REAL["id"]).replace("{measure}", REAL["measure"])
    return base + concrete + (QUERY if path != "/datasources" and path != "/heartbeat" else "")


@pytest.fixture(scope="module")
def status_of_scenario(sandbox):
    """What the sandbox answers to each scenario, asked of it rather than assumed."""
    return {s.value: _get(sandbox.url + "/heartbeat", s.value)[0] for s in models.Scenario}


@pytest.mark.slow
def test_every_documented_state_on_the_api_pages_is_produced_by_the_sandbox(sandbox, status_of_scenario, built_site):
    scenario_for = {status: name for name, status in status_of_scenario.items()}
    checked = 0
    for release in newest_releases():
        page = (built_site / "api" / release.ref / "index.html").read_text()
        examples = {cls for _, spec, cls, _ in json_examples(built_site) if spec == release.ref}
        document = json.loads((built_site / "downloads" / "openapi" / f"{release.ref}.json").read_text())
        for path, item in document["paths"].items():
            assert f"GET {path}" in page
            for code, response in item["get"]["responses"].items():
                assert re.search(rf"<td>{code}</td>", page), (release.ref, path, code)
                if code in ("414", "431"):
                    continue  # size limits: exercised by tests/test_sandbox.py, not by a scenario
                status, headers, body = _get(
                    _url(sandbox.url, path), None if code == "200" else scenario_for[int(code)]
                )
                assert status == int(code), (path, code, status, body[:300])
                parsed = check_response(path, status, headers, body)
                content = next(iter(response.get("content", {}).values()), None)
                if content is not None:  # the page shows an example of the very type the sandbox answered with
                    cls = content["schema"]["$ref"].rsplit("/", 1)[-1]
                    assert cls in examples, (release.ref, path, code, cls)
                    assert isinstance(parsed, dict)
                checked += 1
    assert checked >= 30
