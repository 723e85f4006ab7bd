"""Tables of the sandbox page (docs/sandbox.md), rendered from the code and data they describe:
clients and tokens, scenarios, error codes and service level targets. No figure is typed twice."""

from __future__ import annotations

from datetime import UTC, datetime

from perseus.site.markdown import cell, table


def clients() -> str:
    from perseus.sandbox.access import default_clients

    started = datetime(2000, 1, 1, tzinfo=UTC)  # any start: grants are counted back from it
    rows = []
    for client in default_clients(started).values():
        ages = sorted({(started.date() - p.granted).days for p in client.permissions})
        granted = ", ".join(f"{days} days before the sandbox started" for days in ages)
        rows.append(
            [
                f"`{client.id}`",
                f"`{client.token}`",
                client.description,
                granted,
                ", ".join(f"`{p.source}`" for p in client.permissions),
            ]
        )
    return table(["client", "bearer token", "holds", "granted", "data sources"], rows)


def sources() -> str:
    from perseus.sandbox.catalogue import SOURCES
    from perseus.sandbox.config import DATA_START

    span = (
        f"Every one was commissioned on {DATA_START:%Y-%m-%d} and is read as smart meters are: each half-hour's "
        "reading is collected at 01:00 UTC the next day and served from then on, so the data moves with the "
        "clock. A period before the commissioning, or not yet collected, has no readings.\n\n"
    )
    return span + table(
        ["data source id", "type", "unit", "outcode", "measures"],
        [[f"`{s.id}`", s.type, f"`{s.unit}`", f"`{s.outcode}`", ", ".join(s.measures)] for s in SOURCES.values()],
    )


def scenarios() -> str:
    from perseus.spec_versions import merged_root

    enum = merged_root().enums["Scenario"]
    return table(
        ["scenario", "answer"], [[f"`{name}`", pv.description] for name, pv in enum.permissible_values.items()]
    )


def error_codes() -> str:
    """One heading per code, so that each Problem `type` link lands on its own anchor."""
    from perseus.sandbox.problems import CODES
    from perseus.spec_versions import merged_root

    enum = merged_root().enums["ErrorCode"]
    out = []
    for code, (status, title) in CODES.items():
        meaning = " ".join(enum.permissible_values[code].description.split())
        out.append(
            f"### `{code}` {{#{code}}}\n\nHTTP {status}, title “{title}”. {_sentence(meaning.split(': ', 1)[-1])}\n"
        )
    return "\n".join(out)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def sla_targets() -> str:
    from perseus.sla import load_sla

    register = load_sla()
    rows = [
        [f"`{t.endpoint}`", t.api, f"{t.availabilityPercent:g} %", f"{t.p95LatencyMilliseconds:g} ms", t.window]
        for t in register.targets
    ]
    head = (
        f"Targets `{register.label}@{register.version}` ({register.status}); download: "
        f'<a href="../downloads/sla/{register.label}@{register.version}.json">JSON</a>. {cell(register.description)}\n\n'
    )
    return head + table(["endpoint", "API", "availability", "p95 latency", "window"], rows)


def bounds() -> str:
    from perseus.sandbox.config import MAX_MONTHS, SandboxConfig
    from perseus.sandbox.monitoring import KEPT_LATENCIES

    config = SandboxConfig()
    return table(
        ["bound", "value", "beyond it"],
        [
            ["period of one request", f"{MAX_MONTHS} months", "422 naming `to` (or `from`)"],
            ["request target (path and query)", f"{config.max_url_bytes:,} bytes", "414 `uri-too-long`"],
            ["request headers", f"{config.max_header_bytes:,} bytes", "431 `headers-too-large`"],
            [
                "request head (request line and headers) the server reads",
                f"{config.max_head_bytes // 1024} KiB",
                "414 `uri-too-long` or 431 `headers-too-large`",
            ],
            [
                "time for a request head to arrive, and for a new connection to send one",
                f"{config.header_timeout:g} seconds",
                "the connection is closed",
            ],
            [
                "idle time between requests on a kept-alive connection",
                f"{config.idle_timeout:g} seconds",
                "the connection is closed",
            ],
            ["open connections", f"{config.max_connections:,}", "503 `unavailable` with `Retry-After`"],
            ["emissions calculations at once", f"{config.max_calculations}", "202 `DataNotReady` with `Retry-After`"],
            [
                "requests per client (default; `--rate-limit`, `--rate-window`)",
                f"{config.rate_limit:,} per {config.rate_window:g} seconds",
                "429 `rate-limited` with `Retry-After`",
            ],
            ["`Retry-After` of deliberate 202, 429 and 503", f"{config.retry_after} seconds", "–"],
            ["latencies kept per endpoint for the percentiles", f"{KEPT_LATENCIES:,}", "the oldest are dropped"],
        ],
    )


def problem_example() -> str:
    import json

    from perseus.paths import EXAMPLES
    from perseus.sandbox.served import newest_releases
    from perseus.site.markdown import json_example

    ref = next(r.ref for r in newest_releases() if "Problem" in r.payloads)
    value = json.loads((EXAMPLES / "valid" / "Problem-unknown-data-source.json").read_text())
    return json_example(value, ref, "Problem", "Problem-unknown-data-source.json")


def releases() -> str:
    from perseus.sandbox.served import API_OF_PATH, newest, served_releases

    rows = []
    for release in served_releases():
        paths = ", ".join(f"`{p}`" for p, label in API_OF_PATH.items() if label == release.label)
        default = "yes" if newest(release.label).ref == release.ref else ""
        rows.append([f"`{release.ref}`", release.status, paths, f"`/{release.ref}/…`", default])
    return table(["release", "status", "paths", "prefix", "answers without a prefix"], rows)


MARKERS = {
    "<!-- sandbox-releases -->": releases,
    "<!-- sandbox-bounds -->": bounds,
    "<!-- sandbox-problem-example -->": problem_example,
    "<!-- sandbox-clients -->": clients,
    "<!-- sandbox-sources -->": sources,
    "<!-- sandbox-scenarios -->": scenarios,
    "<!-- sandbox-error-codes -->": error_codes,
    "<!-- sla-targets -->": sla_targets,
}


def render(markdown: str) -> str:
    for marker, renderer in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, renderer())
    return markdown
