"""The sandbox's FastAPI application: routes, the request gate, and the error handlers.

Each data request is checked in this order, so that nothing is told before it may be:
credentials (401), rate limit (429), parameters (422), the data source (404), the client's
permission for it (403), its measure (404), and only then a deliberate scenario.
"""

import asyncio
import logging
import time
import uuid
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from perseus import models
from perseus.models import DataNotReady, DataSource, DataSources
from perseus.paths import GENERATED, ROOT, SANDBOX_OPENAPI
from perseus.sandbox.access import Client, Clients, default_clients
from perseus.sandbox.catalogue import CATALOGUE, SOURCES, meter_data_json
from perseus.sandbox.config import SandboxConfig
from perseus.sandbox.emissions import Calculations, NotReady
from perseus.sandbox.limits import LoginThrottle, RateLimiter, SizeLimits
from perseus.sandbox.monitoring import ENDPOINT_KEY, Metrics, MetricsMiddleware, status_html
from perseus.sandbox.periods import SCENARIO_HEADER, check_period, read_period, validation
from perseus.sandbox.problems import PROBLEM_JSON, SandboxProblem, instance_of, problem_body, validation_body
from perseus.sandbox.served import ReleasePrefix, fit, offers, release_of, served_releases
from perseus.sandbox.signing import client_application, meter_data_record, signers_for
from perseus.sla import load_sla

log = logging.getLogger("perseus.sandbox")

# The values of the spec's enums (spec/errors.yaml Scenario, spec/consumption.yaml Measure).
SCENARIOS: tuple[str, ...] = tuple(s.value for s in models.Scenario)
MEASURES: tuple[str, ...] = tuple(m.value for m in models.Measure)
RESERVED_PREFIX = "scenario-"  # GET /datasources/scenario-<name>/{measure} answers as that scenario
REALM = 'Bearer realm="perseus-sandbox"'
DATA_METHODS = ["GET", "HEAD"]
INLINE_PERIOD = timedelta(days=7)


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
            body = problem_body(
                "internal-error",
                f"The server failed; quote reference {reference}.",
                self.docs_url,
                instance=instance_of(scope),
            )
            await JSONResponse(body, status_code=500, media_type=PROBLEM_JSON)(scope, receive, send)


class Lenient:
    """ASGI middleware outside --strict: `/datasources/` is read as `/datasources` (the demo CAP asks so).
    No redirect: a redirect would be answered before authentication, and from the Host header."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] == "http" and len(path) > 1 and path.endswith("/"):
            scope = {**scope, "path": path[:-1], "raw_path": (scope.get("raw_path") or path.encode())[:-1] or b"/"}
        await self.app(scope, receive, send)


def tls_files_bindings(config: SandboxConfig) -> dict[str, str]:
    """Under TLS: each client's token is bound to the certificate the sandbox issued it."""
    from cryptography import x509

    from perseus.sandbox.access import thumbprint
    from perseus.sandbox.tls import ensure_tls_files

    files = ensure_tls_files(config.tls_dir, list(default_clients(config.started)))
    return {
        client: thumbprint(x509.load_pem_x509_certificate(cert.read_bytes()))
        for client, (cert, _) in files.clients.items()
    }


def create_app(config: SandboxConfig | None = None) -> FastAPI:
    config = config or SandboxConfig()
    clients = Clients(default_clients(config.started), tls_files_bindings(config) if config.tls else None)
    limiter = RateLimiter(config.rate_limit, config.rate_window)
    throttle = LoginThrottle(config.failed_login_delay, config.max_failed_login_delay)
    signers = signers_for(config.keys_dir)
    calculations = Calculations(config.max_calculations, config.retry_after, signers)
    metrics = Metrics()
    sla = load_sla()
    documents = {r.ref: (GENERATED / "openapi" / f"{r.ref}.json").read_bytes() for r in served_releases()}
    sandbox_document = (ROOT / SANDBOX_OPENAPI).read_bytes()
    methods = ["GET"] if config.strict else DATA_METHODS  # HEAD is not in the published documents

    # FastAPI's own OpenAPI is switched off: the sandbox serves the published documents instead.
    app = FastAPI(title="Perseus sandbox", openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    app.state.config, app.state.clients, app.state.metrics, app.state.limiter = config, clients, metrics, limiter
    app.state.signers, app.state.calculations = signers, calculations

    def problem_response(request: Request, problem: SandboxProblem) -> JSONResponse:
        body = problem_body(
            problem.code, problem.detail, config.docs_url, problem.parameter, instance_of(request.scope)
        )
        headers = {}
        if problem.retry_after is not None:
            headers["Retry-After"] = str(problem.retry_after)
        if problem.status == 401:
            headers["WWW-Authenticate"] = REALM + (
                ', error="invalid_token"' if problem.code == "invalid-credentials" else ""
            )
        return JSONResponse(body, status_code=problem.status, headers=headers, media_type=PROBLEM_JSON)

    def deliberate(request: Request, scenario: str) -> None:
        request.state.deliberate = True
        retry = config.retry_after
        if scenario == "not-ready":
            raise NotReady("The data is being prepared (deliberate: scenario `not-ready`)", retry)
        if scenario == "invalid":
            raise validation(SCENARIO_HEADER, "deliberate validation error (scenario `invalid`)")
        if scenario == "server-error":
            raise RuntimeError("deliberate failure (scenario server-error)")
        code, retry_after = {
            "unauthorised": ("invalid-credentials", None),
            "forbidden": ("permission-missing", None),
            "not-found": ("unknown-data-source", None),
            "rate-limited": ("rate-limited", retry),
            "unavailable": ("unavailable", retry),
        }[scenario]
        raise SandboxProblem(
            code, f"Deliberate response to scenario {scenario!r}.", parameter=SCENARIO_HEADER, retry_after=retry_after
        )

    def identify(request: Request) -> Client:
        authorization = request.headers.get("authorization")
        if config.tls:
            tls = request.scope.get("extensions", {}).get("tls") or {}
            return clients.from_certificate_and_token(tls.get("client_cert"), authorization)
        return clients.from_bearer(authorization)

    async def gate(request: Request) -> Client:
        """Credentials first (as the published documents' security requires on every endpoint), then the
        rate limit. A scenario the client asked for is answered by `begin`, once the request is valid.
        (The header is read here rather than declared as a FastAPI parameter: that halves the
        framework's work on a heartbeat.)"""
        client = identify(request)
        throttle.succeeded(address(request))
        limiter.hit(client.id)
        scenario = request.headers.get(SCENARIO_HEADER)
        if scenario is not None and scenario not in SCENARIOS:
            raise validation(SCENARIO_HEADER, f"must be one of {', '.join(SCENARIOS)}", "literal_error")
        request.state.scenario = scenario
        return client

    def under(request: Request, template: str):
        """The release the request is answered under (a path prefix picks it; see perseus.sandbox.served)."""
        release = release_of(request.scope, template)
        if release is None:
            raise SandboxProblem(
                "unknown-path", f"The release {request.scope['state']['release']} does not define {template}."
            )
        return release

    def begin(request: Request) -> None:
        """The request passed its own checks: now a scenario it asked for is answered."""
        if request.state.scenario is not None:
            deliberate(request, request.state.scenario)

    def data_route(path: str):
        """A Starlette route (no FastAPI parameter solving: most of the framework's work on a small answer),
        behind the gate. The handler reads its parameters itself and gets the client."""
        name = f"GET {path.replace(':path', '')}"  # the endpoint as the documents and the status page name it

        def register(handler):
            async def endpoint(request: Request):
                request.scope[ENDPOINT_KEY] = name
                if request.method not in methods:  # Starlette adds HEAD to GET; --strict does not take it
                    raise StarletteHTTPException(405)
                return await handler(request, await gate(request))

            app.add_route(path, endpoint, methods=methods)
            return handler

        return register

    @data_route("/datasources")
    async def list_data_sources(request: Request, client: Client):
        release = under(request, "/datasources")
        begin(request)
        now = datetime.now(UTC)
        current = [
            SOURCES[p.source] for p in client.permissions if p.current(now) and offers(release, SOURCES[p.source])
        ]
        body = DataSources(
            data=[
                DataSource(
                    id=s.id,
                    type=models.EnergyType(s.type),
                    location=models.Location(ukPostcodeOutcode=s.outcode),
                    availableMeasures=[models.Measure(m) for m in s.measures],
                )
                for s in current
            ]
        )
        return JSONResponse(fit(release, "DataSources", body.model_dump(mode="json", exclude_none=True)))

    @data_route("/datasources/{id:path}/{measure}")
    async def get_meter_data(request: Request, client: Client):
        id, measure = request.path_params["id"], request.path_params["measure"]
        release = under(request, "/datasources/{id}/{measure}")
        if measure not in MEASURES:
            raise validation("measure", f"must be one of {', '.join(MEASURES)}", "literal_error", where="path")
        now = datetime.now(UTC)
        first, last = check_period(*read_period(request.query_params, config.strict), now)
        if config.strict and request.scope["raw_path"].count(b"/") != 3:
            raise SandboxProblem("unknown-path", "An id holding `/` is sent percent-encoded (`%2F`).", parameter="id")
        if id.startswith(RESERVED_PREFIX) and id.removeprefix(RESERVED_PREFIX) in SCENARIOS:
            deliberate(request, id.removeprefix(RESERVED_PREFIX))
        source = SOURCES.get(id)
        if source is None or not offers(release, source):
            raise SandboxProblem(
                "unknown-data-source", f"No data source has the id {id!r} under {release.ref}.", parameter="id"
            )
        clients.check(client, id, now)  # before the measure: a client learns nothing of a source it may not see
        if measure not in source.measures:
            raise SandboxProblem(
                "unknown-measure",
                f"Data source {id!r} offers {', '.join(source.measures)}, not {measure!r}.",
                parameter="measure",
            )
        begin(request)

        # The request's URL as the transfer's `service`, from the server's own address (never the Host header).
        service = f"{request.scope['scheme']}://{config.host}:{request.scope['server'][1]}{request.scope['raw_path'].decode()}"

        def answer() -> bytes:
            readings = CATALOGUE.readings(source, first, last, now)
            record = meter_data_record(
                signers, source, readings, first, last, now, client_application(client.id), service
            )
            return meter_data_json(source, readings, record, release)

        # A few days are answered on the event loop; longer periods in a worker thread, not to hold it up.
        inline = last - first <= INLINE_PERIOD and CATALOGUE.holds(source, first, last, now)
        body = answer() if inline else await run_in_threadpool(answer)
        return Response(body, media_type="application/json")

    @data_route("/emissions")
    async def get_emissions(request: Request, client: Client):
        release = under(request, "/emissions")
        now = datetime.now(UTC)
        first, last = check_period(*read_period(request.query_params, config.strict), now)
        premises = [s.id for s in SOURCES.values() if s.archetype == client.emissions_premises]
        for source_id in premises:
            clients.check(client, source_id, now)
        begin(request)
        report = await run_in_threadpool(calculations.report, premises, first, last, now, client_application(client.id))
        return JSONResponse(fit(release, "EmissionsReport", report))

    @data_route("/heartbeat")
    async def heartbeat(request: Request, _: Client):
        under(request, "/heartbeat")
        begin(request)
        # A Heartbeat (spec/heartbeat.yaml) written directly: the answer the SLA's tightest target bounds.
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        return Response(f'{{"status":"ok","timestamp":"{stamp}"}}'.encode(), media_type="application/json")

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_document():
        return Response(sandbox_document, media_type="application/json")

    @app.get("/openapi/{ref}.json", include_in_schema=False)
    def release_document(ref: str):
        if ref not in documents:
            raise SandboxProblem(
                "unknown-path", f"This sandbox serves {', '.join(documents)}, not {ref!r}.", parameter="ref"
            )
        return Response(documents[ref], media_type="application/json")

    @app.get("/trust-anchor.pem", include_in_schema=False)
    def trust_anchor():
        """The sandbox's signing CA: what a bank verifies the sandbox's records against."""
        return Response(signers.anchor_pem, media_type="application/x-pem-file")

    @app.get("/status.json", include_in_schema=False)
    def status_json():
        return JSONResponse(metrics.snapshot(sla))

    @app.get("/status", include_in_schema=False)
    def status_page():
        return HTMLResponse(status_html(metrics.snapshot(sla)))

    @app.exception_handler(SandboxProblem)
    async def on_problem(request: Request, exc: SandboxProblem):
        if exc.code == "invalid-credentials" and not getattr(request.state, "deliberate", False):
            await asyncio.sleep(throttle.failed(address(request)))  # slows guessing; other requests go on meanwhile
        return problem_response(request, exc)

    @app.exception_handler(NotReady)
    async def on_not_ready(request: Request, exc: NotReady):
        body = DataNotReady(message=f"{exc.reason}; ask again in {exc.retry_after} seconds.")
        return JSONResponse(
            body.model_dump(mode="json", exclude_none=True),
            status_code=202,
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        return JSONResponse(validation_body(exc.errors()), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 405:
            problem = SandboxProblem(
                "method-not-allowed", f"{request.method} is not answered here; use {' or '.join(methods)}."
            )
            response = problem_response(request, problem)
            response.headers["Allow"] = ", ".join(methods)
            return response
        if exc.status_code == 404:
            return problem_response(request, SandboxProblem("unknown-path", "No endpoint has this path."))
        log.error("unexpected HTTP error %s: %s", exc.status_code, exc.detail)
        return problem_response(request, SandboxProblem("internal-error", "The server failed."))

    @app.exception_handler(Exception)
    async def on_failure_outside_the_routes(request: Request, exc: Exception):
        # Backstop for a failure in the outer middleware (CatchAll guards the routes): still no traceback.
        return problem_response(request, SandboxProblem("internal-error", "The server failed."))

    app.add_middleware(CatchAll, docs_url=config.docs_url)
    if not config.strict:
        app.add_middleware(Lenient)
    app.add_middleware(ReleasePrefix)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(
        SizeLimits,
        max_url_bytes=config.max_url_bytes,
        max_header_bytes=config.max_header_bytes,
        docs_url=config.docs_url,
    )
    return app


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
