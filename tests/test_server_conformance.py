"""The server conformance suite (`perseus conformance`): its catalogue, the sandbox passing every case
over plain HTTP with a token and over mutual TLS, and the suite's own mutation test: for each case a
deliberately broken server fails that case and no MUST case it does not target.

(tests/test_conformance.py and tests/conformance/ are the reference calculator's cases, not these.)"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import httpx
import pytest

from perseus.conformance.catalogue import CatalogueError, all_cases, cases_for, parse
from perseus.conformance.documents import Documents
from perseus.conformance.registry import load_checks
from perseus.conformance.run import Options, Run, periods
from perseus.conformance.runner import execute
from perseus.conformance.session import Credentials, Session
from perseus.conformance.verdicts import FAIL, PASS
from perseus.sandbox import SandboxConfig
from perseus.sandbox.app import create_app
from perseus.sandbox.server import RunningSandbox
from tests.server_mutants import CLIENT_TOKEN, FOREIGN, FULL_TOKEN, MUTANTS, Harness, Pki

EDP_RELEASE = "consumption-data@2026-11-28"
CAP_RELEASE = "emissions-data@2026-11-28"
LIMITS = {"max_requests": 2000, "timeout": 60.0}  # what the issue allows a run against the sandbox
OFFICE = ("synthetic-office-001-electricity", "synthetic-office-001-gas")


def until() -> dt.date:
    """The end of the periods asked for: the first of this month, or the end of the sandbox's data if earlier."""
    from perseus.sandbox import config

    this_month = dt.datetime.now(dt.UTC).date().replace(day=1)
    end = getattr(config, "SPAN_END", None)
    return min(this_month, end.date()) if end else this_month


def run_suite(url: str, role: str, release: str, credentials: Credentials, **options):
    session = Session(url, credentials, max_requests=int(LIMITS["max_requests"]), timeout=LIMITS["timeout"])
    try:
        return execute(
            Run(role, session, Documents.for_role(role, release), Options(until=until(), **options)), progress=False
        )
    finally:
        session.close()


def failing(result, must_only: bool = True) -> set[str]:
    return {v.case.id for v in result.verdicts if v.outcome == FAIL and (v.case.must or not must_only)}


def not_passed(result) -> dict[str, str]:
    return {
        v.case.id: f"{v.outcome}: {v.detail} {[e.excerpt for e in v.evidence[:1]]}"
        for v in result.verdicts
        if v.outcome != PASS
    }


# --- the catalogue --------------------------------------------------------------------------------


def test_every_case_has_exactly_one_check_and_every_check_a_case():
    assert set(load_checks()) == {c.id for c in all_cases()}
    assert len(all_cases()) >= 35
    assert {c.level for c in all_cases()} == {"MUST", "SHOULD"}
    for case in all_cases():
        assert case.requirement.endswith((".", ")")) or case.requirement, case.id


def test_the_catalogue_refuses_a_broken_entry_naming_it():
    good = {
        "id": "EDP-99",
        "title": "t",
        "level": "MUST",
        "applies": ["edp"],
        "requirement": "r",
        "source": "s",
        "method": "m",
    }
    assert parse({"cases": [good]})[0].id == "EDP-99"
    for change, message in (
        ({"level": "MAY"}, "level"),
        ({"id": "X-1"}, "id must"),
        ({"applies": ["fsp"]}, "applies"),
        ({"extra": 1}, "unknown extra"),
        ({"method": ""}, "missing method"),
    ):
        with pytest.raises(CatalogueError, match=message) as caught:
            parse({"cases": [{**good, **change}]})
        assert "cases[0]" in str(caught.value)
    with pytest.raises(CatalogueError, match="used twice"):
        parse({"cases": [good, good]})


def test_the_periods_end_at_until_and_are_a_day_a_month_and_a_year():
    day, month, year = periods(dt.date(2024, 3, 1))
    assert (day.params, month.params, year.params) == (
        {"from": "2024-02-29T00:00:00Z", "to": "2024-03-01T00:00:00Z"},
        {"from": "2024-02-01T00:00:00Z", "to": "2024-03-01T00:00:00Z"},
        {"from": "2023-03-01T00:00:00Z", "to": "2024-03-01T00:00:00Z"},
    )


# --- the mutation test ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pki():
    return Pki.create()


def quick_config(**options) -> SandboxConfig:
    """A sandbox for many runs in a row: no rate limit, and no delay after a refused login."""
    import dataclasses

    names = {f.name for f in dataclasses.fields(SandboxConfig)}
    wanted = {"rate_limit": 10**6, "failed_login_delay": 0.0, **options}
    return SandboxConfig(**{k: v for k, v in wanted.items() if k in names})


@pytest.fixture(scope="module")
def harness(pki):
    app = Harness(create_app(quick_config()), pki)
    with RunningSandbox(quick_config(port=0), app=app) as running:
        yield app, running.url


@pytest.fixture(scope="module")
def consumption(harness, tmp_path_factory):
    """What the CAP read, to recompute its figures (CAP-08): the office's meters for the year, from the
    EDP endpoint, and the synthetic grid intensity the sandbox calculates with."""
    from perseus.synth import half_hour_starts, synthesise_intensity
    from perseus.synth.payloads import neso_regional_response

    _, url = harness
    folder = tmp_path_factory.mktemp("consumption")
    year = periods(until())[2]
    files = []
    for source in OFFICE:
        answer = httpx.get(
            f"{url}/datasources/{source}/import",
            params=year.params,
            headers={"Authorization": f"Bearer {CLIENT_TOKEN}"},
            timeout=30,
        )
        assert answer.status_code == 200
        files.append(folder / f"{source}.json")
        files[-1].write_bytes(answer.content)
    series = synthesise_intensity(half_hour_starts(year.start, year.end), 0, 13)
    intensity = folder / "intensity.json"
    intensity.write_text(json.dumps(neso_regional_response(series, outcode="SW1A", seed=0)))
    return tuple(files), intensity


def harness_run(harness, pki, consumption, role: str, mutant=None):
    app, url = harness
    app.mutant = mutant
    try:
        token = mutant.token if mutant else CLIENT_TOKEN
        credentials = Credentials(token=token)
        if role == "edp":
            foreign = FOREIGN if token == CLIENT_TOKEN else None  # cap-full holds every source
            return run_suite(url, "edp", EDP_RELEASE, credentials, foreign_source=foreign, trust_anchor=pki.anchor)
        files, intensity = consumption
        return run_suite(
            url, "cap", CAP_RELEASE, credentials, trust_anchor=pki.anchor, consumption=files, intensity=intensity
        )
    finally:
        app.mutant = None


def test_every_case_has_a_mutant():
    assert set(MUTANTS) == {c.id for c in all_cases()}


@pytest.mark.parametrize("role", ["edp", "cap"])
def test_the_harness_without_a_mutant_passes_every_case(harness, pki, consumption, role):
    result = harness_run(harness, pki, consumption, role)
    assert not_passed(result) == {}


def roles_of(case_id: str) -> list[str]:
    return [role for role in ("edp", "cap") if any(c.id == case_id for c in cases_for(role))]


@pytest.mark.slow
@pytest.mark.parametrize("case_id", sorted(MUTANTS))
def test_each_broken_server_fails_its_case_and_no_other_must(harness, pki, consumption, case_id):
    for role in roles_of(case_id):
        result = harness_run(harness, pki, consumption, role, MUTANTS[case_id])
        verdict = next(v for v in result.verdicts if v.case.id == case_id)
        assert verdict.outcome == FAIL, (role, verdict.detail)
        assert verdict.evidence and verdict.evidence[0].request.startswith("GET "), verdict
        assert failing(result) - {case_id} == set(), (role, not_passed(result))
        if case_id == "EDP-03":  # the run read ids holding `/`, which the broken server cannot route
            assert any("%2F" in e.url for e in result.run.session.exchanges)


# --- the sandbox itself ---------------------------------------------------------------------------


def trust_anchor(url: str, folder: Path, **client) -> Path:
    """The sandbox's signing CA, as it serves it."""
    answer = httpx.get(f"{url}/trust-anchor.pem", timeout=10, **client)
    assert answer.status_code == 200, "the sandbox serves its trust anchor at /trust-anchor.pem"
    path = folder / "trust-anchor.pem"
    path.write_bytes(answer.content)
    return path


def check_cli_run(perseus, tmp_path, *args) -> dict:
    started = time.monotonic()
    result = perseus(
        "conformance",
        *args,
        "--until",
        until().isoformat(),
        "--json",
        tmp_path / "report.json",
        "--markdown",
        tmp_path / "report.md",
        "--no-progress",
    )
    report = json.loads((tmp_path / "report.json").read_text())
    failures = {c["id"]: c["detail"] for c in report["cases"] if c["verdict"] != "pass"}
    assert result.returncode == 0 and failures == {}, (result.stdout[-3000:], failures)
    assert report["requests"] < 2000 and report["seconds"] < 60 and time.monotonic() - started < 90
    assert f"{report['requests']} requests in" in result.stdout  # both figures are printed
    print(result.stdout.splitlines()[-2])
    assert "# Conformance of" in (tmp_path / "report.md").read_text()
    return report


def test_the_sandbox_passes_every_edp_case_over_http_with_a_token(perseus, tmp_path):
    """As the conformance page shows it (its URL replaced by the test sandbox's)."""
    from perseus.site.conformance import SANDBOX_EDP_ARGS, SANDBOX_URL

    with RunningSandbox(SandboxConfig(port=0)) as sandbox:
        anchor = trust_anchor(sandbox.url, tmp_path)
        args = [
            sandbox.url if a == SANDBOX_URL else str(anchor) if a == "trust-anchor.pem" else a for a in SANDBOX_EDP_ARGS
        ]
        check_cli_run(perseus, tmp_path, *args)


def test_ids_holding_a_slash_are_read_from_the_sandbox(tmp_path):
    """cap-full's list holds the shop's meters, whose ids hold `/` and `+` (as the registry's example
    id does); it holds every source, so no source is another client's (EDP-40 does not apply)."""
    with RunningSandbox(SandboxConfig(port=0)) as sandbox:
        anchor = trust_anchor(sandbox.url, tmp_path).read_bytes()
        result = run_suite(sandbox.url, "edp", EDP_RELEASE, Credentials(token=FULL_TOKEN), trust_anchor=anchor)
    assert not_passed(result).keys() == {"EDP-40"}
    read = [
        e.url for e in result.run.session.exchanges if e.template == "/datasources/{id}/{measure}" and e.status == 200
    ]
    assert any("%2F" in url and "%2B" in url for url in read)


def test_the_sandbox_passes_every_edp_case_over_mutual_tls(perseus, tmp_path):
    folder = tmp_path / "tls"
    with RunningSandbox(SandboxConfig(port=0, tls=True, tls_dir=folder)) as sandbox:
        client = folder / "clients"
        import ssl

        context = ssl.create_default_context(cafile=str(folder / "ca.pem"))
        context.load_cert_chain(str(client / "cap-office.pem"), str(client / "cap-office-key.pem"))
        anchor = trust_anchor(sandbox.url, tmp_path, verify=context)
        check_cli_run(
            perseus,
            tmp_path,
            "edp",
            sandbox.url,
            "--release",
            EDP_RELEASE,
            "--token",
            CLIENT_TOKEN,
            "--cert",
            client / "cap-office.pem",
            "--key",
            client / "cap-office-key.pem",
            "--server-ca",
            folder / "ca.pem",
            "--foreign-source",
            FOREIGN,
            "--trust-anchor",
            anchor,
        )


def test_the_sandbox_passes_every_cap_case_over_http_with_a_token(perseus, tmp_path, consumption):
    files, intensity = consumption
    with RunningSandbox(SandboxConfig(port=0)) as sandbox:
        anchor = trust_anchor(sandbox.url, tmp_path)
        check_cli_run(
            perseus,
            tmp_path,
            "cap",
            sandbox.url,
            "--release",
            CAP_RELEASE,
            "--token",
            CLIENT_TOKEN,
            "--trust-anchor",
            anchor,
            "--consumption",
            *files,
            "--intensity",
            intensity,
        )


# --- the command ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_url():
    with RunningSandbox(SandboxConfig(port=0)) as sandbox:
        yield sandbox.url


@pytest.mark.parametrize(
    "args, message",
    [
        (["edp", "URL", "--release", "consumption-data@1999-01-01"], "no data specification"),
        (["edp", "URL", "--release", CAP_RELEASE], "tests a consumption-data release"),
        (["cap", "URL", "--release", EDP_RELEASE], "tests a emissions-data release"),
        (["edp", "ftp://example", "--release", EDP_RELEASE], "must start with http"),
        (["edp", "URL", "--release", EDP_RELEASE, "--cert", "c.pem"], "--cert and --key go together"),
        (
            ["edp", "URL", "--release", EDP_RELEASE, "--trust-anchor", "/nonexistent.pem"],
            "/nonexistent.pem: cannot read",
        ),
        (["edp", "URL", "--release", EDP_RELEASE, "--trust-anchor", "pyproject.toml"], "not a PEM certificate"),
        (["edp", "URL", "--release", EDP_RELEASE, "--until", "2025-13-01"], "--until"),
        (["edp", "URL", "--release", EDP_RELEASE, "--max-requests", "0"], "--max-requests"),
    ],
)
def test_unusable_input_exits_2_naming_it_and_writes_nothing(perseus, tmp_path, sandbox_url, args, message):
    args = [sandbox_url if a == "URL" else a for a in args]
    result = perseus("conformance", *args, "--json", tmp_path / "r.json")
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "r.json").exists()


def test_a_server_that_does_not_answer_exits_2(perseus, tmp_path):
    result = perseus(
        "conformance", "edp", "http://127.0.0.1:9", "--release", EDP_RELEASE, "--json", tmp_path / "r.json"
    )
    assert result.returncode == 2 and "no answer to GET /heartbeat" in result.stderr
    assert not (tmp_path / "r.json").exists()


def test_the_run_stops_at_max_requests_and_says_which_cases_were_not_run(perseus, tmp_path, sandbox_url):
    result = perseus(
        "conformance",
        "edp",
        sandbox_url,
        "--release",
        EDP_RELEASE,
        "--token",
        CLIENT_TOKEN,
        "--max-requests",
        "3",
        "--json",
        tmp_path / "r.json",
        "--until",
        until().isoformat(),
    )
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["requests"] == 3
    not_run = [c for c in report["cases"] if c["verdict"] == "not-run"]
    assert not_run and all("--max-requests 3 reached" in c["detail"] for c in not_run)
    assert result.returncode == 3 and "exit status 3" in result.stdout  # no MUST failed in what ran


def test_only_get_is_ever_sent(harness, pki, consumption):
    app, _ = harness
    app.answered.clear()
    methods = []
    original = httpx.Client.stream

    def spy(self, method, *args, **kwargs):
        methods.append(method)
        return original(self, method, *args, **kwargs)

    httpx.Client.stream = spy
    try:
        harness_run(harness, pki, consumption, "edp")
    finally:
        httpx.Client.stream = original
    assert methods and set(methods) == {"GET"}


# --- the site -------------------------------------------------------------------------------------


def test_the_site_lists_every_case_with_its_requirement(built_site):
    import html
    import re

    page = (built_site / "conformance" / "index.html").read_text()
    text = "".join(html.unescape(re.sub(r"<[^>]+>", "", page)).split())  # the words, without markup or spacing
    for case in all_cases():
        assert f'id="{case.id.lower()}"' in page, case.id
        for words in (case.requirement, case.method):
            assert "".join(words.replace("`", "").split()) in text, (case.id, words)


def test_a_broken_server_exits_1_with_the_failing_case_and_its_evidence_in_both_reports(
    perseus, tmp_path, harness, pki
):
    app, url = harness
    (tmp_path / "anchor.pem").write_bytes(pki.anchor)
    app.mutant = MUTANTS["EDP-27"]
    try:
        result = perseus(
            "conformance",
            "edp",
            url,
            "--release",
            EDP_RELEASE,
            "--token",
            CLIENT_TOKEN,
            "--foreign-source",
            FOREIGN,
            "--trust-anchor",
            tmp_path / "anchor.pem",
            "--until",
            until().isoformat(),
            "--json",
            tmp_path / "r.json",
            "--markdown",
            tmp_path / "r.md",
        )
    finally:
        app.mutant = None
    report = json.loads((tmp_path / "r.json").read_text())
    case = next(c for c in report["cases"] if c["id"] == "EDP-27")
    assert result.returncode == 1 and report["exitStatus"] == 1 and not report["conforms"]
    assert case["verdict"] == "fail" and "both start at" in case["evidence"][0]["excerpt"]
    assert case["evidence"][0]["request"].startswith("GET ") and case["evidence"][0]["answer"].startswith("200 ")
    assert (
        "FAIL     EDP-27" in result.stdout
        and case["evidence"][0]["excerpt"].replace("|", "\\|") in (tmp_path / "r.md").read_text()
    )
