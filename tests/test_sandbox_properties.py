"""No request the sandbox accepts is answered 500: a property over the accepted range of every parameter.

Periods anywhere in [1970, 9000) in any offset, as RFC 3339 instants or dates; any id (percent-encoded),
either measure, every client, and the four endpoints. Every answer must be one the published document
lists for the endpoint, with a body valid against it. Deliberate scenarios are left out: they are
tested one by one in test_sandbox.py.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perseus.sandbox import SandboxConfig, create_app
from perseus.sandbox.catalogue import SOURCES
from tests.sandbox_checks import check_response

CLIENT = TestClient(create_app(SandboxConfig(rate_limit=10**9, failed_login_delay=0)), raise_server_exceptions=False)
TOKENS = [f"Bearer sandbox-token-{c}" for c in ("cap-full", "cap-office", "cap-expired")]
EARLIEST, LATEST = datetime(1970, 1, 1), datetime(8999, 12, 31)


@st.composite
def instants(draw, near: datetime | None = None):
    if near is None:
        moment = draw(st.datetimes(min_value=EARLIEST, max_value=LATEST))
    else:  # a `to` within about 14 months of `from`, so that most periods are within the bound
        moment = min(
            LATEST, near + draw(st.timedeltas(min_value=timedelta(minutes=-60), max_value=timedelta(days=430)))
        )
    offset = draw(
        st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(hours=-5, minutes=-30), timedelta(hours=14)])
    )
    if draw(st.booleans()):
        return moment.strftime("%Y-%m-%d"), moment
    zone = timezone(offset)
    text = moment.replace(tzinfo=zone).isoformat(timespec=draw(st.sampled_from(["seconds", "milliseconds"])))
    return text.replace("+00:00", "Z"), moment


@st.composite
def periods(draw) -> dict:
    start_text, start = draw(instants())
    query = {"from": start_text}
    if draw(st.integers(0, 4)):  # mostly with `to`
        query["to"] = draw(instants(start))[0]
    return query


ids = st.one_of(
    st.sampled_from(sorted(SOURCES)), st.text(min_size=1, max_size=40).filter(lambda s: not s.startswith("scenario-"))
)


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    endpoint=st.sampled_from(["/datasources", "/datasources/{id}/{measure}", "/emissions", "/heartbeat"]),
    source=ids,
    measure=st.sampled_from(["import", "export"]),
    query=periods(),
    token=st.sampled_from(TOKENS),
)
def test_no_accepted_request_is_answered_500(endpoint, source, measure, query, token):
    url = endpoint.replace("{id}", quote(source, safe="")).replace("{measure}", measure)
    params = query if endpoint in ("/datasources/{id}/{measure}", "/emissions") else None
    response = CLIENT.get(url, params=params, headers={"Authorization": token})
    assert response.status_code < 500, (url, params, response.text[:300])
    if (
        response.status_code != 404
        or endpoint != "/datasources/{id}/{measure}"
        or response.json().get("code") != "unknown-path"
    ):
        check_response(endpoint, response.status_code, response.headers, response.content)
