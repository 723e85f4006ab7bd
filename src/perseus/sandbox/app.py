"""The sandbox's FastAPI application: routes, the request gate, and the error handlers."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime, timezone
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import AwareDatetime, BeforeValidator
from starlette.exceptions import HTTPException as StarletteHTTPException

from perseus import models
from perseus.models import DataNotReady, DataSource, DataSources, Heartbeat
from perseus.paths import GENERATED, ROOT, SANDBOX_OPENAPI
from perseus.sandbox.access import Client, Clients, default_clients
from perseus.sandbox.catalogue import SOURCES, meter_data_json
from perseus.sandbox.config import MAX_MONTHS, SandboxConfig
from perseus.sandbox.emissions import emissions_report
from perseus.sandbox.limits import RateLimiter, SizeLimits
from perseus.sandbox.monitoring import Metrics, MetricsMiddleware, status_html
from perseus.sandbox.problems import PROBLEM_JSON, SandboxProblem, problem_body, validation_body
from perseus.sandbox.served import served_releases
from perseus.sla import load_sla

log = logging.getLogger("perseus.sandbox")

SCENARIO_HEADER = "X-Perseus-Scenario"
# The values of the spec's enums (spec/errors.yaml Scenario, spec/consumption.yaml Measure), as FastAPI checks them.
SCENARIOS: tuple[str, ...] = tuple(s.value for s in models.Scenario)
Scenario = Literal[SCENARIOS]
MeasureName = Literal[tuple(m.value for m in models.Measure)]
RESERVED_PREFIX = "scenario-"  # GET /datasources/scenario-<name>/{measure} answers as that scenario
EARLIEST, LATEST = datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(9000, 1, 1, tzinfo=timezone.utc)


RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def rfc3339(value):
    """Only RFC 3339 date-times (the documents' `format: date-time`): pydantic alone would also take
    numbers as Unix times and dates without a time."""
    if not isinstance(value, str) or not RFC3339.match(value):
        raise ValueError("must be an RFC 3339 date-time with a time zone, e.g. 2025-01-01T00:00:00Z")
    return value.upper()


Instant = Annotated[AwareDatetime, BeforeValidator(rfc3339)]
FromQuery = Annotated[Instant, Query(alias="from")]
ToQuery = Annotated[Instant | None, Query(alias="to")]


class NotReady(Exception):
    """Answered as 202 DataNotReady with Retry-After."""


def _validation(field: str, message: str, kind: str = "value_error") -> RequestValidationError:
    loc = ("header", SCENARIO_HEADER) if field == SCENARIO_HEADER else ("query", field)
    return RequestValidationError([{"loc": loc, "msg": message, "type": kind}])


def add_months(instant: datetime, months: int) -> datetime:
    month = instant.month - 1 + months
    year, month = instant.year + month // 12, month % 12 + 1
    last_day = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return instant.replace(year=year, month=month, day=min(instant.day, last_day))


def check_period(start: datetime, end: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    """[from, to) in UTC; 422 naming the parameter when it is out of bounds (at most 13 months)."""
    start = start.astimezone(timezone.utc)
    stop = end.astimezone(timezone.utc) if end is not None else now
    blame = "to" if end is not None else "from"
    for name, instant in (("from", start), ("to", stop)):
        if not EARLIEST <= instant < LATEST:
            raise _validation(name, f"must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}")
    if stop <= start:
        raise _validation(blame, "`to` must be after `from`" if end is not None else "`from` must be in the past when `to` is left out")
    if stop > add_months(start, MAX_MONTHS):
        raise _validation(blame, f"the period may be at most {MAX_MONTHS} months; ask for it in parts")
    return start, stop


class CatchAll:
    """ASGI middleware around the routes: any exception becomes a 500 problem+json with a reference to
    quote; the client never sees the exception or its traceback, which is logged here instead. (Starlette's
    own handler for Exception would re-raise into the server's log as well.)"""

    def __init__(self, app, docs_url: str):
        self.app, self.docs_url = app, docs_url

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            reference = uuid.uuid4().hex[:12]
            if not scope.get("state", {}).get("deliberate"):
                log.error("internal error %s on %s", reference, scope.get("path"), exc_info=exc)
            if started:  # too late for a clean answer: the connection is closed mid-response
                raise
            body = problem_body("internal-error", f"The server failed; quote reference {reference}.", self.docs_url,
                                instance=scope.get("path"))
            await JSONResponse(body, status_code=500, media_type=PROBLEM_JSON)(scope, receive, send)


def create_app(config: SandboxConfig | None = None) -> FastAPI:
    config = config or SandboxConfig()
    clients = Clients(default_clients(config.started))
    limiter = RateLimiter(config.rate_limit, config.rate_window)
    metrics = Metrics()
    sla = load_sla()
    documents = {r.ref: (GENERATED / "openapi" / f"{r.ref}.json").read_bytes() for r in served_releases()}
    sandbox_document = (ROOT / SANDBOX_OPENAPI).read_bytes()

    # FastAPI's own OpenAPI is switched off: the sandbox serves the published documents instead.
    app = FastAPI(title="Perseus sandbox", openapi_url=None, docs_url=None, redoc_url=None)
    app.state.config, app.state.clients, app.state.metrics, app.state.limiter = config, clients, metrics, limiter

    def problem_response(request: Request, problem: SandboxProblem) -> JSONResponse:
        body = problem_body(problem.code, problem.detail, config.docs_url, problem.parameter, request.url.path)
        headers = {"Retry-After": str(problem.retry_after)} if problem.retry_after is not None else None
        return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)

    def deliberate(request: Request, scenario: str) -> None:
        request.state.deliberate = True
        retry = config.retry_after
        if scenario == "not-ready":
            raise NotReady()
        if scenario == "invalid":
            raise _validation(SCENARIO_HEADER, "deliberate validation error (scenario `invalid`)")
        if scenario == "server-error":
            raise RuntimeError("deliberate failure (scenario server-error)")
        code, retry_after = {
            "unauthorised": ("invalid-credentials", None),
            "forbidden": ("permission-missing", None),
            "not-found": ("unknown-data-source", None),
            "rate-limited": ("rate-limited", retry),
            "unavailable": ("unavailable", retry),
        }[scenario]
        raise SandboxProblem(code, f"Deliberate response to scenario {scenario!r}.", parameter=SCENARIO_HEADER, retry_after=retry_after)

    def identify(request: Request) -> Client:
        if config.tls:
            tls = request.scope.get("extensions", {}).get("tls") or {}
            return clients.from_certificate(tls.get("client_cert_name"))
        return clients.from_bearer(request.headers.get("authorization"))

    def gate(request: Request, scenario: Annotated[Scenario | None, Header(alias=SCENARIO_HEADER)] = None) -> Client:
        """Credentials first (as the published documents' security requires on every endpoint), then the
        rate limit. A scenario the client asked for is answered by `begin`, once the request is valid."""
        client = identify(request)
        limiter.hit(client.id)
        request.state.scenario = scenario
        return client

    def begin(request: Request) -> None:
        if request.state.scenario is not None:
            deliberate(request, request.state.scenario)

    authenticated = Depends(gate)

    @app.get("/datasources")
    def list_data_sources(request: Request, client: Client = authenticated):
        begin(request)
        now = datetime.now(timezone.utc)
        current = [SOURCES[p.source] for p in client.permissions if p.current(now)]
        body = DataSources(data=[DataSource(id=s.id, type=s.type, location={"ukPostcodeOutcode": s.outcode},
                                            availableMeasures=list(s.measures)) for s in current])
        return JSONResponse(body.model_dump(mode="json"))

    @app.get("/datasources/{id}/{measure}")
    def get_meter_data(request: Request, id: str, measure: MeasureName, start: FromQuery, end: ToQuery = None,
                       client: Client = authenticated):
        begin(request)
        if id.startswith(RESERVED_PREFIX) and id.removeprefix(RESERVED_PREFIX) in SCENARIOS:
            deliberate(request, id.removeprefix(RESERVED_PREFIX))
        source = SOURCES.get(id)
        if source is None:
            raise SandboxProblem("unknown-data-source", f"No data source has the id {id!r}.", parameter="id")
        if measure not in source.measures:
            raise SandboxProblem("unknown-measure", f"Data source {id!r} offers {', '.join(source.measures)}, not {measure!r}.",
                                 parameter="measure")
        now = datetime.now(timezone.utc)
        clients.check(client, id, now)
        first, last = check_period(start, end, now)
        return Response(meter_data_json(source, first, last), media_type="application/json")

    @app.get("/emissions")
    def get_emissions(request: Request, start: FromQuery, end: ToQuery = None, client: Client = authenticated):
        begin(request)
        now = datetime.now(timezone.utc)
        first, last = check_period(start, end, now)
        premises = [s.id for s in SOURCES.values() if s.archetype == client.emissions_premises]
        for source_id in premises:
            clients.check(client, source_id, now)
        return JSONResponse(emissions_report(premises, first, last))

    @app.get("/heartbeat")
    def heartbeat(request: Request, _: Client = authenticated):
        begin(request)
        body = Heartbeat(status="ok", timestamp=datetime.now(timezone.utc).replace(microsecond=0))
        return JSONResponse({"status": body.status, "timestamp": body.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")})

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_document():
        return Response(sandbox_document, media_type="application/json")

    @app.get("/openapi/{ref}.json", include_in_schema=False)
    def release_document(ref: str):
        if ref not in documents:
            raise SandboxProblem("unknown-path", f"This sandbox serves {', '.join(documents)}, not {ref!r}.", parameter="ref")
        return Response(documents[ref], media_type="application/json")

    @app.get("/status.json", include_in_schema=False)
    def status_json():
        return JSONResponse(metrics.snapshot(sla))

    @app.get("/status", include_in_schema=False)
    def status_page():
        return HTMLResponse(status_html(metrics.snapshot(sla)))

    @app.exception_handler(SandboxProblem)
    async def on_problem(request: Request, exc: SandboxProblem):
        return problem_response(request, exc)

    @app.exception_handler(NotReady)
    async def on_not_ready(request: Request, exc: NotReady):
        body = DataNotReady(message=f"The data is being prepared (deliberate: scenario `not-ready`); ask again in {config.retry_after} seconds.")
        return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Retry-After": str(config.retry_after)})

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        return JSONResponse(validation_body(exc.errors()), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 405:
            problem = SandboxProblem("method-not-allowed", f"{request.method} is not answered here; use GET.")
            response = problem_response(request, problem)
            response.headers["Allow"] = "GET"
            return response
        if exc.status_code == 404:
            return problem_response(request, SandboxProblem("unknown-path", f"No endpoint has the path {request.url.path[:200]!r}."))
        log.error("unexpected HTTP error %s: %s", exc.status_code, exc.detail)
        return problem_response(request, SandboxProblem("internal-error", "The server failed."))

    @app.exception_handler(Exception)
    async def on_failure_outside_the_routes(request: Request, exc: Exception):
        # Backstop for a failure in the outer middleware (CatchAll guards the routes): still no traceback.
        return problem_response(request, SandboxProblem("internal-error", "The server failed."))

    app.add_middleware(CatchAll, docs_url=config.docs_url)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(SizeLimits, max_url_bytes=config.max_url_bytes, max_header_bytes=config.max_header_bytes,
                       docs_url=config.docs_url)
    return app
