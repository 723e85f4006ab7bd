"""Cases of every Perseus API (API-xx): heartbeat, media types, server errors, the error contract."""

from __future__ import annotations

import datetime as dt

from perseus.conformance.documents import JSON_TYPES
from perseus.conformance.registry import check
from perseus.conformance.run import Run, iso, parse_instant, retry_after_seconds
from perseus.conformance.session import NO_TOKEN, NONE, UNKNOWN_TOKEN, Exchange
from perseus.conformance.verdicts import Evidence, Findings, failed, not_applicable, passed

CLOCK_TOLERANCE = 300  # seconds (API-02)
NOT_READY = {"X-Perseus-Scenario": "not-ready"}  # sandboxes answer 202; other servers ignore the header


def quoted(value, limit: int = 120) -> str:
    import json

    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def body_problems(run: Run, exchange: Exchange, status: int, default: str | None = None) -> list[str]:
    """The body's problems against what the document publishes for this status (none when it publishes nothing)."""
    cls = run.documents.body_schema(exchange.template, status) or default
    if cls is None:
        return []
    payload = exchange.json()
    if payload is None:
        return [f"the body is not JSON (the document publishes {cls})"]
    return [f"{cls}: {p}" for p in run.documents.problems(exchange.template, cls, payload)]


def expect(
    run: Run,
    findings: Findings,
    exchange: Exchange,
    status: int,
    *,
    refused_ok: bool = False,
    default: str | None = None,
) -> None:
    """The exchange answered `status` with its published body (or, if `refused_ok`, was refused in the TLS handshake)."""
    if exchange.status is None and refused_ok:
        findings.check(exchange, f"refused before any answer ({exchange.error})")
        return
    if exchange.status != status:
        findings.problem(
            exchange,
            f"status {exchange.status if exchange.status is not None else '(none)'}, not {status}"
            + (f"; body {quoted(exchange.json())}" if exchange.json() is not None else ""),
        )
        return
    problems = body_problems(run, exchange, status, default)
    if problems:
        findings.problem(exchange, problems[0])
    else:
        findings.check(
            exchange, f"status {status}" + (f", body {quoted(exchange.json())}" if exchange.json() is not None else "")
        )


# --- the heartbeat ----------------------------------------------------------------------------


@check("API-01")
def heartbeat_ok(run: Run):
    exchange = run.heartbeat()
    payload = exchange.json()
    if exchange.status != 200:
        return failed(f"GET /heartbeat answered {exchange.status}, not 200", Evidence.of(exchange, quoted(payload)))
    problems = body_problems(run, exchange, 200, default="Heartbeat")
    if problems:
        return failed(
            f"the heartbeat does not follow Heartbeat of {run.documents.heartbeat.ref}",
            Evidence.of(exchange, problems[0]),
        )
    return passed(f"valid against Heartbeat of {run.documents.heartbeat.ref}", Evidence.of(exchange, quoted(payload)))


@check("API-02")
def heartbeat_clock(run: Run):
    exchange = run.heartbeat()
    payload = exchange.json()
    stamp = parse_instant(payload.get("timestamp")) if isinstance(payload, dict) else None
    if exchange.status != 200 or stamp is None:
        return not_applicable("the heartbeat carries no readable timestamp (see API-01)")
    sent = dt.datetime.fromtimestamp(exchange.sent_at, dt.UTC)
    received = sent + dt.timedelta(seconds=exchange.seconds)
    slack = dt.timedelta(seconds=CLOCK_TOLERANCE)
    excerpt = f"$.timestamp = {quoted(payload['timestamp'])}; asked at {iso(sent)}"
    if not sent - slack <= stamp <= received + slack:
        off = min(abs((stamp - sent).total_seconds()), abs((stamp - received).total_seconds()))
        return failed(
            f"the server's clock is {off:,.0f} s off (tolerance {CLOCK_TOLERANCE} s)", Evidence.of(exchange, excerpt)
        )
    return passed(f"within {CLOCK_TOLERANCE} s of the suite's clock", Evidence.of(exchange, excerpt))


# --- over every answer --------------------------------------------------------------------------


@check("API-03")
def media_types(run: Run):
    findings = Findings()
    for exchange in run.session.exchanges:
        if exchange.status is None:
            continue
        documented = run.documents.media_types(exchange.template, exchange.status)
        found = exchange.media_type or "(no Content-Type)"
        if documented:
            ok = exchange.media_type in documented
            rule = f"the document gives {', '.join(documented)} for {exchange.status}"
        else:
            ok = not exchange.body or exchange.media_type in JSON_TYPES or exchange.media_type.endswith("+json")
            rule = f"the document gives no body for {exchange.status}, so JSON or empty"
        if ok:
            findings.check(exchange, f"Content-Type {found}")
        else:
            findings.problem(exchange, f"Content-Type {found}; {rule}")
    return findings.outcome("answers")


def allowed_probes(run: Run) -> list[Exchange]:
    """Requests within the documented parameters that exercise their edges (API-04)."""
    endpoint = run.data_endpoint()
    if endpoint is None:
        return []
    template, path, what = endpoint
    start, end = run.day.start, run.day.end
    plus_one = dt.timezone(dt.timedelta(hours=1))
    future = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(days=30)
    probes = [
        ("`to` left out", {"from": iso(start)}),
        (
            "an offset of +01:00",
            {"from": start.astimezone(plus_one).isoformat(), "to": end.astimezone(plus_one).isoformat()},
        ),
        ("fractional seconds", {"from": iso(start).replace("Z", ".000Z"), "to": iso(end).replace("Z", ".000Z")}),
        ("a single half-hour", {"from": iso(start), "to": iso(start + dt.timedelta(minutes=30))}),
        ("a period long past", {"from": "2001-03-01T00:00:00Z", "to": "2001-03-02T00:00:00Z"}),
        ("a period in the future", {"from": iso(future), "to": iso(future + dt.timedelta(days=1))}),
    ]
    return [run.session.get(template, path, params, purpose=f"{what}, {label}") for label, params in probes]


@check("API-04")
def no_server_errors(run: Run):
    run.once("allowed-probes", lambda: allowed_probes(run))
    findings = Findings()
    for exchange in run.session.exchanges:
        if not exchange.allowed:
            continue
        if exchange.status is None:
            findings.problem(exchange, f"no answer to an allowed request ({exchange.error})")
        elif exchange.status >= 500:
            findings.problem(
                exchange,
                f"status {exchange.status}; body {quoted(exchange.json() or exchange.body[:200].decode(errors='replace'))}",
            )
        else:
            findings.check(exchange, f"status {exchange.status}")
    return findings.outcome("allowed requests")


@check("API-10")
def authenticate_header(run: Run):
    findings = Findings()
    for exchange in run.session.exchanges:
        if exchange.status != 401:
            continue
        value = exchange.headers.get("www-authenticate", "").strip()
        if value:
            findings.check(exchange, f"WWW-Authenticate: {value}")
        else:
            findings.problem(exchange, "no WWW-Authenticate header")
    return findings.outcome("401 answers", none="no answer of the run was 401")


# --- credentials --------------------------------------------------------------------------------


def secured_endpoints(run: Run) -> list[tuple[str, str, dict, str]]:
    """(template, path, params, what) of the data endpoints the document secures."""
    found: list[tuple[str, str, dict, str]] = []
    if run.role == "edp" and run.documents.secured("/datasources"):
        found.append(("/datasources", "/datasources", {}, "the data sources"))
    endpoint = run.data_endpoint()
    if endpoint and run.documents.secured(endpoint[0]):
        found.append((endpoint[0], endpoint[1], run.day.params, endpoint[2]))
    return found


def without_credentials(run: Run) -> list[Exchange]:
    credentials = run.session.credentials
    variants = [NONE] + ([NO_TOKEN] if credentials.token and credentials.cert else [])
    return [
        run.session.get(
            template, path, params, purpose=f"{what}, {credentials.describe(which)}", which=which, allowed=False
        )
        for template, path, params, what in secured_endpoints(run)
        for which in variants
    ]


@check("API-05")
def refused_without_credentials(run: Run):
    exchanges = run.once("without-credentials", lambda: without_credentials(run))
    findings = Findings()
    for exchange in exchanges:
        handshake = (
            run.session.https and bool(run.session.credentials.cert) and exchange.credentials == "no credentials"
        )
        expect(run, findings, exchange, 401, refused_ok=handshake)
    return findings.outcome("requests without credentials", none="the document secures no endpoint the suite can ask")


@check("API-06")
def refused_with_unknown_credentials(run: Run):
    if not run.session.credentials.token:
        return not_applicable(
            "the client authenticates by certificate alone (no --token); a certificate the server did "
            "not issue is refused in the TLS handshake"
        )
    exchanges = run.once(
        "unknown-token",
        lambda: [
            run.session.get(t, p, q, purpose=f"{what}, unknown token", which=UNKNOWN_TOKEN, allowed=False)
            for t, p, q, what in secured_endpoints(run)
        ],
    )
    findings = Findings()
    for exchange in exchanges:
        expect(run, findings, exchange, 401)
    return findings.outcome(
        "requests with a token no server issued", none="the document secures no endpoint the suite can ask"
    )


# --- parameters ----------------------------------------------------------------------------------


def bad_parameter_probes(run: Run) -> list[tuple[str, Exchange]]:
    endpoint = run.data_endpoint()
    if endpoint is None:
        return []
    template, path, what = endpoint
    start = iso(run.day.start)
    probes = [
        ("from", "`from` missing", {"to": iso(run.day.end)}),
        ("from", "`from` not a date-time", {"from": "yesterday"}),
        ("to", "`to` not a date-time", {"from": start, "to": "not-a-date"}),
    ]
    return [
        (parameter, run.session.get(template, path, params, purpose=f"{what}, {label}", allowed=False))
        for parameter, label, params in probes
    ]


def reversed_period(run: Run) -> list[tuple[str, Exchange]]:
    endpoint = run.data_endpoint()
    if endpoint is None:
        return []
    template, path, what = endpoint
    params = {"from": iso(run.day.end), "to": iso(run.day.start)}
    return [("to", run.session.get(template, path, params, purpose=f"{what}, `to` a day before `from`", allowed=False))]


def _expect_422(run: Run, probes: list[tuple[str, Exchange]], what: str):
    findings = Findings()
    for _, exchange in probes:
        expect(run, findings, exchange, 422, default="HTTPValidationError")
    return findings.outcome(what, none="no data endpoint to ask (the list of data sources is empty or unreadable)")


@check("API-07")
def bad_parameters(run: Run):
    return _expect_422(
        run, run.once("bad-parameters", lambda: bad_parameter_probes(run)), "requests with bad parameters"
    )


@check("API-08")
def reversed_period_refused(run: Run):
    return _expect_422(
        run, run.once("reversed-period", lambda: reversed_period(run)), "requests with `to` before `from`"
    )


@check("API-11")
def validation_names_parameter(run: Run):
    findings = Findings()
    probes = run.once("bad-parameters", lambda: bad_parameter_probes(run)) + run.once(
        "reversed-period", lambda: reversed_period(run)
    )
    for parameter, exchange in probes:
        payload = exchange.json()
        detail = payload.get("detail") if isinstance(payload, dict) else None
        if exchange.status != 422 or not isinstance(detail, list):
            continue
        locs = [item.get("loc") for item in detail if isinstance(item, dict)]
        if any(isinstance(loc, list) and parameter in loc for loc in locs):
            findings.check(exchange, f"loc {quoted(locs)} names `{parameter}`")
        else:
            findings.problem(exchange, f"no loc names `{parameter}`: {quoted(locs)}")
    return findings.outcome("422 answers", none="no 422 answer to name a parameter in (see API-07 and API-08)")


# --- not ready --------------------------------------------------------------------------------


@check("API-09")
def not_ready(run: Run):
    endpoint = run.data_endpoint()
    if endpoint is not None:
        template, path, what = endpoint
        run.once(
            "not-ready",
            lambda: run.session.get(
                template,
                path,
                run.day.params,
                purpose=f"{what}, asked to be not ready",
                headers=NOT_READY,
                allowed=False,
            ),
        )
    findings = Findings()
    for exchange in run.session.exchanges:
        if exchange.status != 202:
            continue
        value = exchange.headers.get("retry-after")
        problems = body_problems(run, exchange, 202, default="DataNotReady")
        if value is None:
            findings.problem(exchange, "no Retry-After header")
        elif retry_after_seconds(value) is None:
            findings.problem(exchange, f"Retry-After: {value} is neither seconds nor an HTTP date")
        elif problems:
            findings.problem(exchange, problems[0])
        else:
            findings.check(exchange, f"Retry-After: {value}; body {quoted(exchange.json())}")
    return findings.outcome(
        "202 answers", none="no answer of the run was 202 (the server did not take up X-Perseus-Scenario: not-ready)"
    )
