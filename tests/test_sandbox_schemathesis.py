"""Schemathesis against the OpenAPI documents the sandbox serves, the combined one and each release's
(answered under that release): no server error outside the deliberate scenarios, and no response that
breaks the published document (status, headers, content type, schema). Bounded: a fixed number of
derandomised examples per operation."""

from __future__ import annotations

import atexit
import urllib.request
import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, positive_data_acceptance

from perseus.sandbox import SandboxConfig
from perseus.sandbox.app import RESERVED_PREFIX, SCENARIO_HEADER, SCENARIOS
from perseus.sandbox.monitoring import ENDPOINTS
from perseus.sandbox.served import served_releases
from perseus.sandbox.server import RunningSandbox

TOKEN = {"Authorization": "Bearer sandbox-token-cap-full"}
SEEN: set[tuple[str, int]] = set()


def deliberate(case) -> bool:
    """A scenario asked for in the header or by a reserved data source id."""
    if (case.headers or {}).get(SCENARIO_HEADER) in SCENARIOS:
        return True
    source = (case.path_parameters or {}).get("id", "")
    return source.startswith(RESERVED_PREFIX) and source.removeprefix(RESERVED_PREFIX) in SCENARIOS


def steer_towards_data(case) -> None:
    """Random ids and periods almost never name a real meter and month, so every other generated case is
    pointed at one (its other parts stay as generated), so that 200 responses are checked too."""
    if zlib.crc32(repr((case.path_parameters, case.query, case.headers)).encode()) % 2:
        return
    if case.path_parameters and "id" in case.path_parameters and not deliberate(case):
        case.path_parameters["id"] = "synthetic-office-001-electricity"
    if isinstance(case.query, dict) and "from" in case.query:
        case.query.update({"from": "2025-02-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"})


def period_bound(response) -> bool:
    """A 422 for a period the schema cannot bound (more than 13 months, `to` not after `from`, an instant
    the server cannot read), naming `from` or `to`."""
    if response.status_code != 422:
        return False
    locs = [tuple(d["loc"]) for d in response.json()["detail"]]
    return bool(locs) and set(locs) <= {("query", "from"), ("query", "to")}


# A real uvicorn on loopback, started when the module is collected (schemathesis needs the schema then)
# and stopped when the test process ends.
SANDBOX = RunningSandbox(SandboxConfig(port=0)).__enter__()
atexit.register(SANDBOX.__exit__, None, None, None)
# The first calculation of a month synthesises the meters and loads the calculator (seconds on a busy
# machine): done once here, so that the run's requests answer within schemathesis's timeout.
urllib.request.urlopen(
    urllib.request.Request(f"{SANDBOX.url}/emissions?from=2025-02-01T00:00:00Z&to=2025-03-01T00:00:00Z", headers=TOKEN),
    timeout=300,
).read()
schema = schemathesis.openapi.from_url(f"{SANDBOX.url}/openapi.json")


def conforms(case, base_url: str) -> int:
    """Call the case and check the answer against its document; the deliberate scenarios aside."""
    steer_towards_data(case)
    response = case.call(base_url=base_url, headers=TOKEN)
    excluded = []
    if deliberate(case):
        excluded = [not_a_server_error, positive_data_acceptance]
    else:
        assert response.status_code < 500, (case.path, case.path_parameters, case.query, response.text[:300])
        if period_bound(response):
            excluded = [positive_data_acceptance]
    case.validate_response(response, headers=TOKEN, excluded_checks=excluded)
    return response.status_code


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_sandbox_conforms_to_its_openapi_document(case):
    SEEN.add((case.path, conforms(case, SANDBOX.url)))


def test_schemathesis_reached_every_endpoint():
    # Runs after the property test in file order: the run was not vacuous.
    if not SEEN:
        pytest.skip("the schemathesis test was not selected")
    assert {f"GET {path}" for path, _ in SEEN} == set(ENDPOINTS)
    assert {path for path, status in SEEN if status == 200} == {path.split(" ")[1] for path in ENDPOINTS}


# Every served release against its own document, answered under it (the release's path prefix).
PER_RELEASE: dict[str, set[int]] = {}


def release_test(ref: str):
    release_schema = schemathesis.openapi.from_url(f"{SANDBOX.url}/openapi/{ref}.json")

    @pytest.mark.slow
    @release_schema.parametrize()
    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    def test(case):
        PER_RELEASE.setdefault(ref, set()).add(conforms(case, f"{SANDBOX.url}/{ref}"))

    return test


for _release in served_releases():
    globals()[f"test_release_{_release.ref.replace('-', '_').replace('@', '_')}_conforms"] = release_test(_release.ref)


def test_every_served_release_was_run_and_answered_with_data():
    if not PER_RELEASE:
        pytest.skip("the per-release schemathesis tests were not selected")
    assert set(PER_RELEASE) == {r.ref for r in served_releases()}
    assert all(200 in statuses for statuses in PER_RELEASE.values()), PER_RELEASE
